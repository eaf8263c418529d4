using Apkgen.Core.Space;

namespace Apkgen.Core.Edge;

/// <summary>What apkgen asks btrfs about space (issue 17, part 4). The real adapter uses the kernel's ioctls.</summary>
public interface IBtrfsSpace
{
    /// <summary>The chunks, their use and the unallocated space of the btrfs holding the path (a few ioctls, well under a millisecond).</summary>
    SpaceUsage Usage(string path);

    /// <summary>
    /// The exclusive bytes of every subvolume's level-0 qgroup, by subvolume id, read from the
    /// quota tree; null when quotas are not enabled on the filesystem.
    /// </summary>
    QuotaSizes? QuotaExclusive(string path);

    /// <summary>
    /// How many deleted subvolumes the cleaner has not finished dropping (their orphan items
    /// in the root tree, as <c>btrfs subvolume sync</c> finds them): space that is about to be free.
    /// </summary>
    int SubvolumesBeingDeleted(string path);

    /// <summary>The subvolume (tree) id of a subvolume's root.</summary>
    ulong SubvolumeId(string subvolumePath);

    /// <summary>
    /// The bytes of the data extents in the subvolume that FIEMAP does not report as shared
    /// (what <c>btrfs filesystem du</c> calls exclusive): a walk of every file, so only on request.
    /// </summary>
    long UnsharedDataBytes(string subvolumePath);
}

/// <summary>The quota tree's exclusive bytes per subvolume id, and whether btrfs says they are consistent.</summary>
public sealed record QuotaSizes(IReadOnlyDictionary<ulong, long> ExclusiveBySubvolume, bool Consistent);
