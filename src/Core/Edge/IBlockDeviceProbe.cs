namespace Apkgen.Core.Edge;

/// <summary>
/// What the system says about block devices: their identifiers (blkid) and their place in
/// the kernel's block tree (/sys). Narrow so that pure tests substitute it; the real adapter
/// is <see cref="Linux.BlockDeviceProbe"/>.
/// </summary>
public interface IBlockDeviceProbe
{
    /// <summary>
    /// The identifiers of a block device as <c>blkid -p -o export</c> prints them (LABEL,
    /// UUID, TYPE, PART_ENTRY_NAME, PART_ENTRY_UUID, ...); empty when blkid finds nothing.
    /// </summary>
    IReadOnlyDictionary<string, string> Probe(string devicePath);

    /// <summary>
    /// The disk holding a partition device and the partition's number (<c>/dev/sda1</c>:
    /// <c>/dev/sda</c>, 1); null when the device is not a partition the kernel knows.
    /// </summary>
    (string Disk, int Partition)? PartitionOf(string devicePath);

    /// <summary>
    /// The GPT entry of a disk image that a loop device maps at an offset (how a partition of
    /// an image is mapped where partition nodes cannot be made); null when the device is no
    /// such loop device or the image has no entry starting there.
    /// </summary>
    GptPartition? LoopPartition(string devicePath);
}
