using Apkgen.TestSupport;

// Every test here changes machine-wide settings, stops and kills processes and copies images:
// nothing of this project runs in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Apkgen.Crash.Tests;

/// <summary>
/// Prepared images every scenario copies (cp --sparse=always) instead of rebuilding: an
/// init-made layout whose base holds the files the matrix's change replaces, and a layout with
/// generations and crashed runs' leftovers for gc. Built once per test class.
/// </summary>
public sealed class Bases : IDisposable
{
    /// <summary>Image size: the matrix's 1 GiB (sparse, so cheap to copy).</summary>
    public const int Megabytes = 1024;

    readonly Lazy<string> _exec;
    readonly Lazy<string> _gc;

    /// <summary>Creates the scratch directory; the images are built on first use.</summary>
    public Bases()
    {
        Sh.RequireRoot();
        Dir = Directory.CreateTempSubdirectory("apkgen-crash-").FullName;
        _exec = new(BuildExecBase);
        _gc = new(BuildGcBase);
    }

    /// <summary>Scratch directory for copies; deleted with the fixture.</summary>
    public string Dir { get; }

    /// <summary>The config gc scenarios use: two slots, no automatic gc.</summary>
    public string GcConfig => Kit.Config(Dir, "gc.conf", "[layout]\nlinks = 2\n[gc]\nauto = false\n");

    /// <summary>Default config (4 slots, automatic gc after a switch), in a file so /etc/apkgen.conf of the host never matters.</summary>
    public string DefaultConfig => Kit.Config(Dir, "default.conf", "");

    /// <summary>An init-made layout (4 slots) whose only generation holds /data/old-0..99.</summary>
    public string ExecBaseImage => _exec.Value;

    /// <summary>
    /// A 2-slot layout with four generations (two unreferenced), three unreferenced links
    /// directories, and crashed runs' leftovers: a rw snapshot without metadata, a directory
    /// without @, a stale next/current.
    /// </summary>
    public string GcBaseImage => _gc.Value;

    /// <summary>The generations of the gc base that current names (slot 0, slot 1).</summary>
    public (string Slot0, string Slot1) GcKept { get; private set; }

    string BuildExecBase()
    {
        using var img = DiskImage.Create(Dir, "exec-base.img", Megabytes);
        var top = img.Mount();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        Change.PopulateOld(Path.Combine(top, "@"));
        var (code, output) = ApkgenCli.RunApkgen("--config", DefaultConfig, "--device", img.Device!, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        Assert.Equal(Content.Old, Change.Classify(Path.Combine(top, "current/0/@"), "exec base"));
        img.Release();
        var keep = Path.Combine(Dir, "exec-base.keep");
        File.Move(img.ImagePath, keep);
        return keep;
    }

    string BuildGcBase()
    {
        using var img = DiskImage.CopyOf(ExecBaseImage, "gc-base.img");
        var top = img.Mount();
        for (var i = 0; i < 3; i++)
        {
            var (code, output) = ApkgenCli.RunApkgen("--config", GcConfig, "--device", img.Device!, "exec", "--", "/bin/touch", $"/etc/f{i}");
            Assert.True(code == 0, output);
        }
        GcKept = (Kit.Slot(top, 0), Kit.Slot(top, 1));
        // What crashed runs leave: a rw snapshot without metadata, a directory without @, a stale next/current.
        Directory.CreateDirectory(Path.Combine(top, "snapshots", "20990101000000crashrw1"));
        Sh.Run("btrfs", "subvolume", "snapshot", Path.Combine(top, "current/0/@"), Path.Combine(top, "snapshots", "20990101000000crashrw1", "@"));
        File.WriteAllText(Path.Combine(top, "snapshots", "20990101000000crashrw1", "@", "etc", "half-done"), "x");
        Directory.CreateDirectory(Path.Combine(top, "snapshots", "20990101000000emptydir"));
        File.CreateSymbolicLink(Path.Combine(top, "next", "current"), "./links/20990101000000nolinks0");
        Assert.Equal(6, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
        Assert.Equal(4, Directory.GetDirectories(Path.Combine(top, "links")).Length);
        Sh.Run("sync", "-f", top);
        img.Release();
        var keep = Path.Combine(Dir, "gc-base.keep");
        File.Move(img.ImagePath, keep);
        return keep;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// CRASH-TESTING.md's deterministic window: background writeback off
/// (vm.dirty_writeback_centisecs=0, vm.dirty_expire_centisecs=360000) while the crash image
/// tests run, the old values restored always.
/// </summary>
public sealed class WritebackOff : IDisposable
{
    readonly string _writeback;
    readonly string _expire;

    /// <summary>Saves and sets the two sysctls.</summary>
    public WritebackOff()
    {
        Sh.RequireRoot();
        _writeback = File.ReadAllText("/proc/sys/vm/dirty_writeback_centisecs").Trim();
        _expire = File.ReadAllText("/proc/sys/vm/dirty_expire_centisecs").Trim();
        try
        {
            File.WriteAllText("/proc/sys/vm/dirty_writeback_centisecs", "0");
            File.WriteAllText("/proc/sys/vm/dirty_expire_centisecs", "360000");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { File.WriteAllText("/proc/sys/vm/dirty_writeback_centisecs", _writeback); }
        finally { File.WriteAllText("/proc/sys/vm/dirty_expire_centisecs", _expire); }
    }
}
