namespace Apkgen.Generations.Edge;

/// <summary>Exclusive advisory locks on files (the global lock of a layout).</summary>
public interface IFileLocks
{
    /// <summary>
    /// Takes the exclusive lock on the file at <paramref name="path"/> (created if missing, never
    /// deleted) without waiting. Returns the held lock, released when disposed, or null when
    /// another process holds it.
    /// </summary>
    IDisposable? TryLock(string path);
}
