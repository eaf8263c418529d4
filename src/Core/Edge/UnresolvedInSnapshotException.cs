namespace Apkgen.Core.Edge;

/// <summary>
/// A path of a snapshot does not resolve inside it: a symlink leading nowhere inside (out of
/// it, or in a loop), or a component that is not a directory. Bad input in the tree, not an
/// internal failure.
/// </summary>
public sealed class UnresolvedInSnapshotException(string message) : IOException(message);
