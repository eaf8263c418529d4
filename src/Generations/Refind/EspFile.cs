namespace Apkgen.Generations.Refind;

/// <summary>
/// Replaces a file on the ESP so that a crash leaves either the old or the new content:
/// a temporary file in the same directory, fsync, rename(2) over the target, fsync of the
/// directory (<see cref="Layout.AtomicFile.FsyncDirectory"/>). Unlike
/// <see cref="Layout.AtomicFile.Write"/> it takes bytes: rEFInd's main configuration must
/// keep every byte it had, whatever its encoding.
/// </summary>
public static class EspFile
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
            Layout.AtomicFile.FsyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw new ApkgenException($"cannot write {filePath}: {e.Message}",
                "check that the ESP is mounted read-write and has space", e.HResult == 28 ? ExitCodes.NoSpace : ExitCodes.Failure, e);
        }
    }
}
