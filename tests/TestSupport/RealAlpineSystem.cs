namespace Apkgen.TestSupport;

/// <summary>
/// A real Alpine root as the first generation on a loop btrfs, the way a user adopts an
/// installed system: the minirootfs extracted into <c>@</c>, the kit's key in etc/apk/keys,
/// etc/apk/repositories naming the kit's repository (a local path, or http://127.0.0.1),
/// apkgen's commit hook in etc/apk/commit_hooks.d as the package installs it, then
/// <c>apkgen init --adopt @</c>. <c>[apk] path</c> is the real apk of this test run
/// (<see cref="AlpineKit.ApkVersion"/>).
/// </summary>
public sealed class RealAlpineSystem : IDisposable
{
    int _copies;

    RealAlpineSystem(LoopBtrfs disk, string top, string configPath)
    {
        Disk = disk;
        Top = top;
        ConfigPath = configPath;
    }

    /// <summary>The image.</summary>
    public LoopBtrfs Disk { get; }
    /// <summary>An inspection mount of the top level.</summary>
    public string Top { get; }
    /// <summary>apkgen.conf naming the device and the real apk.</summary>
    public string ConfigPath { get; }
    /// <summary>The real apk this system's wrapper runs.</summary>
    public static string RealApk => AlpineKit.Apk;
    /// <summary>Slot 0's root as the inspection mount shows it.</summary>
    public string Slot0Root => Path.Combine(Top, "current/0/@");

    /// <summary>
    /// Makes the system. <paramref name="repository"/> is the repositories line (default
    /// the kit's repo as a local path); <paramref name="apkgenInside"/> installs the static
    /// apkgen into the root as the package would (/usr/sbin/apkgen, /usr/local/sbin/apk,
    /// /etc/apkgen.conf naming the device), for tests that run it chrooted.
    /// </summary>
    public static RealAlpineSystem Create(string? repository = null, string extraConfig = "", bool apkgenInside = false)
    {
        var disk = LoopBtrfs.Create(1024);
        try
        {
            var top = disk.MountTop();
            var root = Path.Combine(top, "@");
            Sh.Run("btrfs", "subvolume", "create", root);
            Sh.Run("tar", "-xzf", AlpineKit.Minirootfs(), "-C", root);
            File.Copy(AlpineKit.PublicKey, Path.Combine(root, "etc/apk/keys", Path.GetFileName(AlpineKit.PublicKey)));
            File.WriteAllText(Path.Combine(root, "etc/apk/repositories"), (repository ?? AlpineKit.Repo) + "\n");
            var hooks = Path.Combine(root, "etc/apk/commit_hooks.d");
            Directory.CreateDirectory(hooks);
            File.Copy(Path.Combine(Sh.RepoRoot, "apk-hooks/apkgen"), Path.Combine(hooks, "apkgen"));
            File.SetUnixFileMode(Path.Combine(hooks, "apkgen"), (UnixFileMode)0b111_101_101);
            if (apkgenInside) StaticApkgen.InstallInto(root, $"[layout]\ndevice = {disk.Device}\n");
            var conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
            File.WriteAllText(conf, $"[layout]\ndevice = {disk.Device}\n[apk]\npath = {RealApk}\n{extraConfig}");
            var (code, output) = ApkgenCli.RunApkgen((IDictionary<string, string>?)null, "--config", conf, "init", "--adopt", "@");
            if (code != 0) throw new InvalidOperationException("apkgen init --adopt @ failed:\n" + output);
            return new RealAlpineSystem(disk, top, conf);
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    /// <summary>Runs apkgen with this system's config.</summary>
    public (int Code, string Output) Apkgen(params string[] args) => ApkgenCli.RunApkgen((IDictionary<string, string>?)null, ["--config", ConfigPath, .. args]);

    /// <summary>Runs the wrapper the way a user types it: an executable named <c>apk</c> (apkgen's apphost).</summary>
    public (int Code, string Output) Apk(params string[] args) =>
        Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = ConfigPath }, null, ApkgenCli.ApkLink(), args);

    /// <summary>Runs the wrapper with extra environment.</summary>
    public (int Code, string Output) Apk(IDictionary<string, string> env, params string[] args) =>
        Sh.TryIn(new Dictionary<string, string>(env) { ["APKGEN_CONFIG"] = ConfigPath }, null, ApkgenCli.ApkLink(), args);

    /// <summary>Runs the real apk directly (no wrapper).</summary>
    public static (int Code, string Output) RunRealApk(params string[] args) => Sh.Try(RealApk, args);

    /// <summary>Points the root's etc/apk/repositories at <paramref name="line"/> (a change of its own, through apkgen exec).</summary>
    public void SetRepository(string line)
    {
        var (code, output) = Apkgen("exec", "--", "/bin/sh", "-c", $"echo '{line}' > /etc/apk/repositories");
        if (code != 0) throw new InvalidOperationException("writing etc/apk/repositories failed:\n" + output);
    }

    /// <summary>
    /// A writable copy of slot 0's root (a btrfs snapshot on the same disk), for running the
    /// real apk directly on an equal root. Deleted with <see cref="DeleteCopy"/>.
    /// </summary>
    public string CopyOfSlot0()
    {
        var copy = Path.Combine(Top, $"direct-{_copies++}");
        Sh.Run("btrfs", "subvolume", "snapshot", Slot0Root + "/", copy);
        return copy;
    }

    /// <summary>Deletes a copy made by <see cref="CopyOfSlot0"/>, unmounting what apk may have left mounted in it (2.14 mounts proc).</summary>
    public static void DeleteCopy(string copy)
    {
        foreach (var m in LoopBtrfs.LeakedMounts(copy + "/").AsEnumerable().Reverse()) Sh.Try("umount", "-l", m);
        Sh.Run("btrfs", "subvolume", "delete", copy);
    }

    /// <summary>
    /// The change through the wrapper against the real apk run directly on an equal copy
    /// of slot 0 as it was before: both exit codes and outputs, and the files to compare.
    /// </summary>
    public ChangeComparison CompareWithDirect(params string[] args)
    {
        var copy = CopyOfSlot0();
        try
        {
            var wrapped = Apk(args);
            var direct = RunRealApk(["--root", copy, .. args]);
            return new ChangeComparison(wrapped, direct, ReadDb(Slot0Root), ReadDb(copy));
        }
        finally
        {
            DeleteCopy(copy);
        }
    }

    /// <summary>lib/apk/db/installed and etc/apk/world of a root, as bytes (empty when absent).</summary>
    public static (byte[] Installed, byte[] World) ReadDb(string root) =>
        (ReadOrEmpty(Path.Combine(root, "lib/apk/db/installed")), ReadOrEmpty(Path.Combine(root, "etc/apk/world")));

    static byte[] ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllBytes(path) : [];

    /// <summary>The id in slot N of current.</summary>
    public string Slot(int n) => Path.GetFileName(new FileInfo(Path.Combine(Top, "current", n.ToString())).LinkTarget!);

    /// <summary>Generation directories under snapshots/.</summary>
    public int GenerationCount => Directory.GetDirectories(Path.Combine(Top, "snapshots")).Length;

    /// <summary>generation.ini of a generation.</summary>
    public string Ini(string id) => File.ReadAllText(Path.Combine(Top, "snapshots", id, "generation.ini"));

    /// <summary>The marker apkgen writes at every switch of this system's current (one per configured device).</summary>
    public string SwitchMarker => "/run/apkgen/switched@" + Disk.Device.Replace('/', '%');

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(SwitchMarker);
            // What RebootRequired.PathFor names for this device, and its package list.
            File.Delete(SwitchMarker.Replace("/switched@", "/reboot-required@"));
            File.Delete(SwitchMarker.Replace("/switched@", "/reboot-required@") + ".pkgs");
        }
        catch (IOException) { }
        Disk.Dispose();
    }
}
