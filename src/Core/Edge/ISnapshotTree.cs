using Apkgen.Core.Files;

namespace Apkgen.Core.Edge;

/// <summary>
/// A read-only, physical view of one generation's tree for a file diff. Paths are relative to
/// the root (<c>etc/motd</c>), names as <see cref="RawNames"/> keeps them; no symlink is
/// followed anywhere in a path (a diff compares entries, not what they point to), nothing
/// resolves above the root, and what another filesystem or subvolume mounts or nests inside
/// the tree is not part of it.
/// </summary>
public interface ISnapshotTree : IDisposable
{
    /// <summary>The entry at the path, or null when the path is not in the tree.</summary>
    FileEntry? Entry(string relative);
    /// <summary>The entries of a directory (no <c>.</c> or <c>..</c>), empty when it is not a directory of the tree.</summary>
    IReadOnlyList<(string Name, FileEntry Entry)> List(string relative);
    /// <summary>Opens a regular file for reading.</summary>
    Stream OpenRead(string relative);
}
