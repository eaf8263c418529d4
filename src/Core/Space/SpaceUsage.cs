namespace Apkgen.Core.Space;

/// <summary>
/// The space of one btrfs, as BTRFS_IOC_SPACE_INFO and BTRFS_IOC_DEV_INFO report it: the
/// chunks allocated to data and metadata and how much of them is used (logical bytes), the
/// global reserve carved out of metadata, and the raw space of the devices no chunk holds yet.
/// </summary>
/// <param name="Size">Raw bytes of every device together.</param>
/// <param name="Unallocated">Raw bytes of the devices in no chunk (btrfs filesystem usage's "Device unallocated").</param>
/// <param name="DataTotal">Logical bytes of the data chunks.</param>
/// <param name="DataUsed">Logical bytes used in them.</param>
/// <param name="DataRatio">Raw bytes per logical byte of the data profile (DUP, RAID1: 2).</param>
/// <param name="MetadataTotal">Logical bytes of the metadata chunks.</param>
/// <param name="MetadataUsed">Logical bytes used in them.</param>
/// <param name="MetadataRatio">Raw bytes per logical byte of the metadata profile.</param>
/// <param name="GlobalReserve">The global reserve, kept free in metadata for the filesystem's own use.</param>
public sealed record SpaceUsage(
    long Size,
    long Unallocated,
    long DataTotal,
    long DataUsed,
    double DataRatio,
    long MetadataTotal,
    long MetadataUsed,
    double MetadataRatio,
    long GlobalReserve)
{
    /// <summary>
    /// Below this much free metadata (plus the global reserve) with nothing left to allocate,
    /// the kernel's statfs reports no space at all: fs/btrfs/super.c btrfs_statfs, thresh = SZ_4M.
    /// </summary>
    const long MetadataThreshold = 4L << 20;

    /// <summary>Logical bytes free in the data chunks.</summary>
    public long DataFree => Math.Max(0, DataTotal - DataUsed);

    /// <summary>Logical bytes free in the metadata chunks, less the global reserve.</summary>
    public long MetadataFree => Math.Max(0, MetadataTotal - MetadataUsed - GlobalReserve);

    /// <summary>The unallocated space as data would get it (raw bytes divided by the data profile's copies).</summary>
    public long UnallocatedForData => (long)(Unallocated / Math.Max(1, DataRatio));

    /// <summary>
    /// True when metadata is exhausted: no room left to allocate a metadata chunk and less free
    /// in the existing ones than the kernel's threshold. Then nothing can be written, however
    /// much data space is free; the kernel's statfs says 0 available in that case.
    /// </summary>
    public bool MetadataExhausted =>
        Unallocated < MetadataThreshold * Math.Max(1, MetadataRatio) && MetadataFree < MetadataThreshold;

    /// <summary>
    /// What a change can still write: the free space of the data chunks plus the unallocated
    /// space divided by the data profile's copies, as <c>btrfs filesystem usage</c> computes
    /// "Free (estimated)" (cmds/filesystem-usage.c); 0 when metadata is exhausted. Free
    /// metadata is not added: file contents do not go there (only inline files of at most
    /// max_inline, 2 KiB by default).
    /// </summary>
    public long Free => MetadataExhausted ? 0 : DataFree + UnallocatedForData;
}
