using System.Buffers.Binary;
using System.Text;
using Apkgen.Core.Edge;

namespace Apkgen.Core.Refind;

/// <summary>
/// Reads a GPT (UEFI spec 2.10, section 5.3) from a disk image. Used for a loop device
/// that maps one partition of an image with an offset: the kernel then knows no partition,
/// so blkid cannot report the partition's name and GUID, but the image's table can.
/// </summary>
public static class GptReader
{
    /// <summary>The partitions in use (non-zero type GUID), or empty when there is no GPT.</summary>
    public static List<GptPartition> Read(Stream disk, int sectorSize = 512)
    {
        var result = new List<GptPartition>();
        var header = new byte[92];
        disk.Position = sectorSize;
        if (disk.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length
            || Encoding.ASCII.GetString(header, 0, 8) != "EFI PART")
            return result;
        var entriesLba = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(72));
        var count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(80));
        var size = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(84));
        if (count is <= 0 or > 1024 || size is < 128 or > 4096) return result;
        var entry = new byte[size];
        for (var i = 0; i < count; i++)
        {
            disk.Position = entriesLba * sectorSize + (long)i * size;
            if (disk.ReadAtLeast(entry, size, throwOnEndOfStream: false) < size) break;
            if (entry.AsSpan(0, 16).IndexOfAnyExcept((byte)0) < 0) continue;
            var name = Encoding.Unicode.GetString(entry, 56, 72);
            var nul = name.IndexOf('\0');
            if (nul >= 0) name = name[..nul];
            result.Add(new GptPartition(i + 1,
                BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(32)),
                BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(40)),
                name,
                new Guid(entry.AsSpan(16, 16)).ToString("D")));
        }
        return result;
    }
}
