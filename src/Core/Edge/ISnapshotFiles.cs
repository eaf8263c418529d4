namespace Apkgen.Core.Edge;

/// <summary>
/// The files of one snapshot's tree, every path resolved as the snapshot's own root would
/// resolve it (chroot semantics): an absolute symlink starts again at the snapshot's root and
/// <c>..</c> stops there, so a tree apkgen does not control (a base made by hand, a package,
/// a change) cannot lead a read, a write, a new directory or a mount out of the snapshot.
/// Paths are relative to the snapshot's root (<c>etc/fstab</c>).
/// </summary>
public interface ISnapshotFiles
{
    /// <summary>The snapshot's root directory (as the host names it).</summary>
    string RootPath { get; }
    /// <summary>A regular file's text, or null when nothing is there; IOException when it is not a regular file.</summary>
    string? ReadText(string relative);
    /// <summary>True if a regular file is there.</summary>
    bool FileExists(string relative);
    /// <summary>The size in bytes of the regular file there, or null when there is none (nothing, a directory, a link that leads nowhere inside).</summary>
    long? FileLength(string relative);
    /// <summary>True if a directory is there.</summary>
    bool DirectoryExists(string relative);
    /// <summary>The names in a directory; empty when it is not there.</summary>
    IReadOnlyList<string> ListNames(string relative);
    /// <summary>
    /// Writes a file atomically (a temporary file in the same directory, then rename).
    /// A symlink at the path is followed inside the snapshot (its target's directory must
    /// exist), or with <paramref name="replaceSymlink"/> replaced by the file.
    /// </summary>
    void WriteTextAtomically(string relative, string text, bool replaceSymlink = false);
    /// <summary>Deletes a file; false when nothing was there.</summary>
    bool DeleteFile(string relative);
    /// <summary>Creates a directory and its missing parents; never through a symlink that does not resolve.</summary>
    void CreateDirectory(string relative);
    /// <summary>
    /// Where the path leads inside the snapshot, relative to its root (symlinks followed,
    /// the last one even when its target does not exist yet); null when its directory is not there.
    /// </summary>
    string? Resolve(string relative);
    /// <summary>
    /// Opens the path as a mount point: a directory (created if missing) or, with
    /// <paramref name="file"/>, a file (created empty if missing). The target pins the
    /// resolved place: mount onto <see cref="MountTarget.Path"/>.
    /// </summary>
    MountTarget OpenForMount(string relative, bool file);
}
