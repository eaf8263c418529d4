using Apkgen.Core.Files;

namespace Apkgen.Core.Edge;

/// <summary>
/// What btrfs itself knows about the changes in a subvolume, without reading its files
/// (the way <c>btrfs subvolume find-new</c> works). Both calls need root; a refusal or a
/// kernel without the ioctl is an <see cref="IOException"/>, and the caller walks instead.
/// </summary>
public interface IBtrfsChanges
{
    /// <summary>
    /// The subvolume's identity and transaction ids (BTRFS_IOC_GET_SUBVOL_INFO), after
    /// committing what the filesystem holds uncommitted, so that <see cref="ChangedSince"/> sees it too.
    /// </summary>
    SubvolumeInfo Info(string subvolumePath);

    /// <summary>
    /// The paths (relative to the subvolume's root, every hard link's name) of the inodes whose
    /// inode item a transaction after <paramref name="transid"/> wrote: created, written,
    /// renamed, linked, unlinked from, or with changed metadata. Removed inodes are not there;
    /// their directories are.
    /// </summary>
    IReadOnlyList<string> ChangedSince(string subvolumePath, ulong transid);
}
