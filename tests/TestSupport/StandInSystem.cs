namespace Apkgen.TestSupport;

/// <summary>
/// A loop btrfs with a layout bootstrapped by <c>apkgen init</c> through the stand-in apk
/// (tests/apk-standin): the way an Alpine user starts, minus the network.
/// </summary>
public sealed class StandInSystem : IDisposable
{
    StandInSystem(LoopBtrfs disk, string top, string configPath)
    {
        Disk = disk;
        Top = top;
        ConfigPath = configPath;
    }

    /// <summary>The image.</summary>
    public LoopBtrfs Disk { get; }
    /// <summary>An inspection mount of the top level.</summary>
    public string Top { get; }
    /// <summary>apkgen.conf naming the device and the stand-in as the real apk.</summary>
    public string ConfigPath { get; }
    /// <summary>The stand-in apk.</summary>
    public static string StandInApk => Path.Combine(Sh.RepoRoot, "tests/apk-standin/apk");
    /// <summary>Its sample repository.</summary>
    public static string Repository => Path.Combine(Sh.RepoRoot, "tests/apk-standin/repo");

    /// <summary>Creates the image and runs <c>apkgen init -- -X REPO add alpine-base</c>.</summary>
    public static StandInSystem Create(string extraConfig = "")
    {
        var disk = LoopBtrfs.Create();
        try
        {
            var top = disk.MountTop();
            var conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
            File.WriteAllText(conf, $"[layout]\ndevice = {disk.Device}\n[apk]\npath = {StandInApk}\n{extraConfig}");
            var (code, output) = ApkgenCli.RunApkgen((IDictionary<string, string>?)null, "--config", conf, "init", "--", "-X", Repository, "--allow-untrusted", "add", "alpine-base");
            if (code != 0) throw new InvalidOperationException("apkgen init failed:\n" + output);
            var sys = new StandInSystem(disk, top, conf);
            // Later apk runs find the repository through the root's own repositories file.
            var (c2, o2) = sys.Apkgen("exec", "--", "/bin/sh", "-c", $"echo {Repository} > /etc/apk/repositories");
            if (c2 != 0) throw new InvalidOperationException("writing etc/apk/repositories failed:\n" + o2);
            return sys;
        }
        catch
        {
            disk.Dispose();
            throw;
        }
    }

    /// <summary>Runs apkgen with this system's config.</summary>
    public (int Code, string Output) Apkgen(params string[] args) => ApkgenCli.RunApkgen((IDictionary<string, string>?)null, ["--config", ConfigPath, .. args]);

    /// <summary>Runs apkgen with this system's config and extra environment.</summary>
    public (int Code, string Output) Apkgen(IDictionary<string, string> env, params string[] args) => ApkgenCli.RunApkgen(env, ["--config", ConfigPath, .. args]);

    /// <summary>Runs the wrapper the way a user types it: an executable named <c>apk</c> (apkgen's apphost).</summary>
    public (int Code, string Output) Apk(params string[] args) =>
        Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = ConfigPath }, null, ApkLink(), args);

    /// <summary>A symlink named apk to the built apkgen apphost (<see cref="ApkgenCli.ApkLink"/>).</summary>
    public static string ApkLink() => ApkgenCli.ApkLink();

    /// <summary>The id in slot N of current.</summary>
    public string Slot(int n) => Path.GetFileName(new FileInfo(Path.Combine(Top, "current", n.ToString())).LinkTarget!);

    /// <summary>Generation directories under snapshots/.</summary>
    public int GenerationCount => Directory.GetDirectories(Path.Combine(Top, "snapshots")).Length;

    /// <inheritdoc />
    public void Dispose() => Disk.Dispose();
}
