using System.Text;
using Apkgen.Generations.Linux;

namespace Apkgen.Generations.Layout;

/// <summary>Writes a file so that a crash leaves either the old or the new content: temp, fsync, rename, fsync dir.</summary>
public static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/>.</summary>
    public static void Write(string path, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + ".apkgen-tmp");
        using (var fs = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode,
        }))
        {
            fs.Write(Encoding.UTF8.GetBytes(text));
            fs.Flush(flushToDisk: true);
        }
        if (Native.rename(tmp, path) != 0) throw Native.Error("rename", path);
        FsyncDirectory(dir);
    }

    /// <summary>fsync(2) on a directory, making a rename in it durable on filesystems that honour it.</summary>
    public static void FsyncDirectory(string dir)
    {
        var fd = Native.OpenDirectory(dir);
        try { Native.fsync(fd); }
        finally { Native.close(fd); }
    }
}
