namespace Apkgen.Core.Edge;

/// <summary>
/// A mount point resolved inside a snapshot and held open, so that a symlink swapped in
/// between resolving and mounting cannot redirect the mount.
/// </summary>
/// <param name="Path">What to give mount(2): <c>/proc/self/fd/N</c>, the open place itself.</param>
/// <param name="RealPath">The place as the host names it, with no symlink in it (for unmounting).</param>
/// <param name="RelativePath">The place relative to the snapshot's root.</param>
/// <param name="Handle">Closes the descriptor.</param>
public sealed record MountTarget(string Path, string RealPath, string RelativePath, IDisposable Handle) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
