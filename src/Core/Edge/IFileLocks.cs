namespace Apkgen.Core.Edge;

/// <summary>Exclusive advisory locks on files (the global lock of a layout).</summary>
public interface IFileLocks
{
    /// <summary>
    /// Takes the exclusive lock on the file at <paramref name="path"/> (created if missing, never
    /// deleted) without waiting. Returns the held lock, released when disposed, or null when
    /// another process holds it.
    /// </summary>
    IDisposable? TryLock(string path);

    /// <summary>
    /// The process holding an exclusive lock on the file at <paramref name="path"/> (never
    /// following a symlink there), or null when none does or it cannot be told. Takes no lock
    /// itself, even shared: a shared lock held for an instant would make a concurrent
    /// <c>--wait 0</c> change fail.
    /// </summary>
    LockHolder? ExclusiveHolder(string path);
}
