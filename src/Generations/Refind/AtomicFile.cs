using System.Runtime.InteropServices;

namespace Apkgen.Generations.Refind;

/// <summary>
/// Replaces a file so that a crash leaves either the old or the new content, never a mix:
/// a temporary file in the same directory, fsync, rename(2) over the target, fsync the
/// directory so the rename itself is on disk (the ESP is FAT; its driver honours both).
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="filePath"/> atomically.</summary>
    public static void Write(string filePath, byte[] bytes)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(filePath))!;
        var temp = Path.Combine(dir, "." + Path.GetFileName(filePath) + ".apkgen-tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, filePath, overwrite: true);
            SyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw new ApkgenException($"cannot write {filePath}: {e.Message}",
                "check that the ESP is mounted read-write and has space", e is IOException { HResult: 28 } ? ExitCodes.NoSpace : ExitCodes.Failure, e);
        }
    }

    /// <summary>fsync(2) on a directory, which .NET has no API for.</summary>
    public static void SyncDirectory(string dirPath)
    {
        const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
        var fd = Open(dirPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open {dirPath}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync {dirPath}: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
