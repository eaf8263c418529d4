namespace Apkgen.TestSupport;

/// <summary>
/// A sparse image file formatted as btrfs and attached to a loop device. Disposing always
/// unmounts what it mounted and detaches the loop device, even when a test failed.
/// </summary>
public sealed class LoopBtrfs : IDisposable
{
    readonly List<string> _mounts = [];
    readonly string _dir;

    LoopBtrfs(string dir, string image, string device)
    {
        _dir = dir;
        ImagePath = image;
        Device = device;
    }

    /// <summary>The image file.</summary>
    public string ImagePath { get; }
    /// <summary>The loop device, e.g. /dev/loop3.</summary>
    public string Device { get; }
    /// <summary>A scratch directory that goes away with the image.</summary>
    public string ScratchDirPath => _dir;

    /// <summary>Creates a sparse image of <paramref name="megabytes"/> MiB, formats it (btrfs unless told otherwise) and attaches it.</summary>
    public static LoopBtrfs Create(int megabytes = 512, string fsType = "btrfs")
    {
        Sh.RequireRoot();
        var dir = Directory.CreateTempSubdirectory("apkgen-test-").FullName;
        var image = Path.Combine(dir, "disk.img");
        using (var f = File.Create(image)) f.SetLength(megabytes * 1024L * 1024L);
        if (fsType == "btrfs") Sh.Run("mkfs.btrfs", "-q", "-f", image);
        else if (fsType != "none") Sh.Run("mkfs." + fsType, "-q", "-F", image);
        var device = Sh.Run("losetup", "--find", "--show", image).Trim();
        return new LoopBtrfs(dir, image, device);
    }

    /// <summary>Mounts the top level (subvolid=5) for inspection and returns the mount point.</summary>
    public string MountTop(string options = "subvolid=5")
    {
        var mnt = Path.Combine(_dir, "top" + _mounts.Count);
        Directory.CreateDirectory(mnt);
        Sh.Run("mount", "-t", "btrfs", "-o", options, Device, mnt);
        _mounts.Add(mnt);
        return mnt;
    }

    /// <summary>Unmounts a mount point made by <see cref="MountTop"/>.</summary>
    public void Unmount(string mnt)
    {
        Sh.Run("umount", mnt);
        _mounts.Remove(mnt);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (var i = _mounts.Count - 1; i >= 0; i--)
            if (Sh.Try("umount", _mounts[i]).Code != 0) Sh.Try("umount", "-l", _mounts[i]);
        _mounts.Clear();
        // Retry: a process of the test may still be exiting.
        for (var i = 0; i < 20 && Sh.Try("losetup", "-d", Device).Code != 0; i++) Thread.Sleep(100);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>Mount points in this mount namespace that live under a test scratch directory or apkgen's mount point.</summary>
    public static List<string> LeakedMounts(string under) =>
        File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(under, StringComparison.Ordinal)).ToList();
}
