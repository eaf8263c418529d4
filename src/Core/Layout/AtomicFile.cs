using System.Text;
using Apkgen.Core.Linux;

namespace Apkgen.Core.Layout;

/// <summary>
/// Writes a file so that a crash leaves either the old or the new content: a temporary file
/// in the same directory, fsync, rename(2) over the target, fsync of the directory. The one
/// writer for apkgen's files on the btrfs (generation.ini, the fstab template) and for
/// rEFInd's files on the ESP.
/// </summary>
public static class AtomicFile
{
    /// <summary>rw-r--r--: what every file apkgen writes gets.</summary>
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> as UTF-8; see <see cref="Write(string, byte[], UnixFileMode, bool)"/>.</summary>
    public static void Write(string path, string text, UnixFileMode mode = DefaultMode, bool durable = true) =>
        Write(path, Encoding.UTF8.GetBytes(text), mode, durable);

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="bytes"/>, byte for byte (rEFInd's
    /// main configuration must keep every byte it had, whatever its encoding).
    /// </summary>
    /// <param name="path">The file to replace.</param>
    /// <param name="bytes">Its new content.</param>
    /// <param name="mode">The mode of a new file. vfat (the ESP) has no Unix modes and
    /// ignores it: its mount options decide.</param>
    /// <param name="durable">False leaves the fsyncs to a syncfs the caller makes before
    /// anything can reach the file (a commit's first syncfs on the btrfs). Files on the ESP are
    /// always written durable: it is another filesystem (vfat), which that syncfs does not
    /// reach, and the firmware reads it after a power cut as it was last flushed.</param>
    public static void Write(string path, byte[] bytes, UnixFileMode mode = DefaultMode, bool durable = true)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, "." + Path.GetFileName(path) + ".apkgen-tmp");
        try
        {
            using (var fs = new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode,
            }))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: durable);
            }
            // rename(2) replaces the target in one step on btrfs and on vfat alike (fat's
            // rename is not journalled, but the old entry stays until the new one is written).
            DurableRename.Rename(tmp, path);
        }
        catch
        {
            // A full disk must not leave the temp file behind.
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
        if (durable) FsyncDirectory(dir);
    }

    /// <summary>fsync(2) on a directory, making a rename in it durable on filesystems that honour it.</summary>
    public static void FsyncDirectory(string dir) => DurableRename.FsyncDirectory(dir);
}
