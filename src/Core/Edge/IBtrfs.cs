namespace Apkgen.Core.Edge;

/// <summary>The btrfs operations apkgen needs. The real adapter uses the kernel's ioctls directly.</summary>
public interface IBtrfs
{
    /// <summary>True if the path is on a btrfs filesystem.</summary>
    bool IsBtrfs(string path);
    /// <summary>True if the path is the root of a btrfs subvolume.</summary>
    bool IsSubvolume(string path);
    /// <summary>Creates an empty subvolume at the path (its parent must exist).</summary>
    void CreateSubvolume(string path);
    /// <summary>Snapshots a subvolume to a new path.</summary>
    void Snapshot(string sourceSubvolumePath, string destinationPath, bool readOnly);
    /// <summary>True if the subvolume is read-only.</summary>
    bool IsReadOnly(string subvolumePath);
    /// <summary>Sets or clears the subvolume's read-only flag.</summary>
    void SetReadOnly(string subvolumePath, bool readOnly);
    /// <summary>Deletes a subvolume (read-only or not).</summary>
    void DeleteSubvolume(string subvolumePath);
    /// <summary>
    /// syncfs(2) on the filesystem holding the path: commits the btrfs transaction with all
    /// data written so far. Directory fsyncs are not enough on btrfs (DESIGN, measured).
    /// </summary>
    void SyncFs(string path);
    /// <summary>
    /// BTRFS_IOC_SYNC (what <c>btrfs filesystem sync</c> does): commits like syncfs and wakes
    /// the cleaner thread, which frees the space of deleted subvolumes. After a deletion,
    /// syncfs alone left the space in use (measured: the retry on a full disk failed).
    /// </summary>
    void SyncAndClean(string path);
    /// <summary>
    /// The btrfs generation (transaction id) up to which the subvolume's tree is accounted;
    /// compared before and after a change to tell whether it wrote anything.
    /// </summary>
    ulong TreeGeneration(string subvolumePath);
    /// <summary>The filesystem's UUID (what blkid reports as UUID=, and fstab's UUID=).</summary>
    Guid FilesystemUuid(string path);
    /// <summary>True if any file in the subvolume changed after the given generation.</summary>
    bool ChangedSince(string subvolumePath, ulong generation);
}
