namespace Apkgen.Core.Linux;

/// <summary>rename(2) and a directory's fsync(2): the two calls that make a replaced file durable (AtomicFile's steps).</summary>
public static class DurableRename
{
    /// <summary>rename(2) of <paramref name="from"/> over <paramref name="to"/>: one step on btrfs and on vfat alike.</summary>
    public static void Rename(string from, string to)
    {
        if (Native.rename(from, to) != 0) throw Native.Error("rename", to);
    }

    /// <summary>fsync(2) on a directory, making a rename in it durable on filesystems that honour it.</summary>
    public static void FsyncDirectory(string dir)
    {
        var fd = Native.OpenDirectory(dir);
        try { Native.fsync(fd); }
        finally { Native.close(fd); }
    }
}
