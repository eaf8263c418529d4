using Apkgen.TestSupport;

namespace Apkgen.Crash.Tests;

/// <summary>
/// An image file that outlives its loop device, so one prepared filesystem can be copied
/// (cp --sparse=always) for every stage instead of being rebuilt. Disposing always unmounts
/// what it mounted, detaches its loop device and deletes the file.
/// </summary>
public sealed class DiskImage : IDisposable
{
    readonly List<string> _mounts = [];

    DiskImage(string path) => ImagePath = path;

    /// <summary>The image file.</summary>
    public string ImagePath { get; }
    /// <summary>The loop device while attached, else null.</summary>
    public string? Device { get; private set; }

    /// <summary>A sparse btrfs image of <paramref name="megabytes"/> MiB in <paramref name="dir"/>.</summary>
    public static DiskImage Create(string dir, string name, int megabytes)
    {
        Sh.RequireRoot();
        var path = Path.Combine(dir, name);
        using (var f = File.Create(path)) f.SetLength(megabytes * 1024L * 1024L);
        Sh.Run("mkfs.btrfs", "-q", "-f", path);
        return new DiskImage(path);
    }

    /// <summary>A copy of an image file as it is on the host right now (the power-cut model of CRASH-TESTING.md).</summary>
    public static DiskImage CopyOf(string imagePath, string name)
    {
        var path = Path.Combine(Path.GetDirectoryName(imagePath)!, name);
        Sh.Run("cp", "--sparse=always", imagePath, path);
        return new DiskImage(path);
    }

    /// <summary>Attaches the image to a free loop device.</summary>
    public string Attach()
    {
        Device ??= Sh.Run("losetup", "--find", "--show", ImagePath).Trim();
        return Device;
    }

    /// <summary>Mounts the top level (subvolid=5) with extra options; returns the mount point.</summary>
    public string Mount(string options = "")
    {
        var device = Attach();
        var mnt = Path.Combine(Path.GetDirectoryName(ImagePath)!, Path.GetFileNameWithoutExtension(ImagePath) + ".mnt" + _mounts.Count);
        Directory.CreateDirectory(mnt);
        Sh.Run("mount", "-t", "btrfs", "-o", "subvolid=5" + (options.Length > 0 ? "," + options : ""), device, mnt);
        _mounts.Add(mnt);
        return mnt;
    }

    /// <summary>Mounts with arbitrary options (e.g. ro,subvol=...); returns the mount point.</summary>
    public (int Code, string Output, string MountPoint) TryMountRaw(string options)
    {
        var device = Attach();
        var mnt = Path.Combine(Path.GetDirectoryName(ImagePath)!, Path.GetFileNameWithoutExtension(ImagePath) + ".raw" + _mounts.Count);
        Directory.CreateDirectory(mnt);
        var (code, output) = Sh.Try("mount", "-t", "btrfs", "-o", options, device, mnt);
        if (code == 0) _mounts.Add(mnt);
        return (code, output, mnt);
    }

    /// <summary>Unmounts the test's own mounts of this image; the loop device stays attached (so no other image can take its name).</summary>
    public void UnmountAll()
    {
        for (var i = _mounts.Count - 1; i >= 0; i--)
        {
            if (Sh.Try("umount", _mounts[i]).Code != 0) Sh.Try("umount", "-l", _mounts[i]);
            try { Directory.Delete(_mounts[i]); } catch (IOException) { }
        }
        _mounts.Clear();
    }

    /// <summary>Unmounts everything of this image and detaches the loop device (waiting until the kernel lets go).</summary>
    public void Release()
    {
        UnmountAll();
        if (Device is null) return;
        for (var i = 0; i < 50 && Sh.Try("losetup", "-d", Device).Code != 0; i++) Thread.Sleep(100);
        // losetup -d on a busy device only sets autoclear; wait until it is really gone.
        for (var i = 0; i < 50 && Sh.Try("losetup", Device).Code == 0 && Sh.Run("losetup", "-n", "-O", "BACK-FILE", Device).Contains(ImagePath); i++)
            Thread.Sleep(100);
        Device = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Release();
        try { File.Delete(ImagePath); } catch (IOException) { }
    }
}
