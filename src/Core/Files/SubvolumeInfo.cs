namespace Apkgen.Core.Files;

/// <summary>
/// What BTRFS_IOC_GET_SUBVOL_INFO says about a generation's root subvolume (the fields of
/// <c>btrfs subvolume show</c>).
/// </summary>
/// <param name="Uuid">The subvolume's UUID.</param>
/// <param name="ParentUuid">The UUID of the subvolume it is a snapshot of (empty when it is none).</param>
/// <param name="Generation">The last transaction that changed its tree ("Generation").</param>
/// <param name="CreatedTransid">The transaction that created it ("Gen at creation", otransid).</param>
/// <param name="ReadOnly">True when the read-only flag is set.</param>
public sealed record SubvolumeInfo(Guid Uuid, Guid ParentUuid, ulong Generation, ulong CreatedTransid, bool ReadOnly);
