using Apkgen.Core.Edge;
using Apkgen.Core.Files;
using Apkgen.Core.Space;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>
/// btrfs space through its ioctls (linux/btrfs.h, linux/fiemap.h), as btrfs-progs reads it
/// for <c>btrfs filesystem usage</c>, <c>qgroup show</c> and <c>filesystem du</c>.
/// </summary>
public sealed unsafe class LinuxBtrfsSpace : IBtrfsSpace
{
    // _IOWR(0x94, 20, struct btrfs_ioctl_space_args (16)), _IOWR(0x94, 30, struct btrfs_ioctl_dev_info_args (4096)),
    // _IOWR(0x94, 17, struct btrfs_ioctl_search_args (4096)), _IOWR('f', 11, struct fiemap (32)): checked against the headers with gcc.
    const uint BTRFS_IOC_SPACE_INFO = 0xC0109414;
    const uint BTRFS_IOC_DEV_INFO = 0xD000941E;
    const uint BTRFS_IOC_TREE_SEARCH = 0xD0009411;
    const uint FS_IOC_FIEMAP = 0xC020660B;

    const ulong BLOCK_GROUP_DATA = 1, BLOCK_GROUP_METADATA = 4;
    const ulong RAID1 = 1 << 4, DUP = 1 << 5, RAID10 = 1 << 6, RAID5 = 1 << 7, RAID6 = 1 << 8, RAID1C3 = 1 << 9, RAID1C4 = 1 << 10;
    const ulong SPACE_INFO_GLOBAL_RSV = 1UL << 49;

    const ulong QUOTA_TREE_OBJECTID = 8;
    const uint QGROUP_STATUS_KEY = 240, QGROUP_INFO_KEY = 242;
    const ulong QGROUP_STATUS_FLAG_INCONSISTENT = 1 << 2;
    const int SearchKeySize = 104, SearchBufSize = 4096 - SearchKeySize, SearchHeaderSize = 32;

    const uint FIEMAP_EXTENT_LAST = 0x1, FIEMAP_EXTENT_DATA_INLINE = 0x200, FIEMAP_EXTENT_SHARED = 0x2000;
    const int FiemapHeaderSize = 32, FiemapExtentSize = 56, FiemapExtents = 64;

    /// <inheritdoc />
    public SpaceUsage Usage(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            // At most a handful of profiles exist at once (data, metadata, system, reserve, and
            // more during a balance): one call with room for 16 avoids the counting call.
            const int slots = 16;
            var args = stackalloc byte[16 + slots * 24];
            new Span<byte>(args, 16 + slots * 24).Clear();
            *(ulong*)args = slots;
            if (ioctl(fd, BTRFS_IOC_SPACE_INFO, args) != 0) throw Error("btrfs space info", path);
            var count = (int)Math.Min(*(ulong*)(args + 8), slots);
            long dataTotal = 0, dataUsed = 0, metaTotal = 0, metaUsed = 0, reserve = 0;
            double dataRatio = 1, metaRatio = 1;
            var fsInfo = stackalloc byte[1024];
            new Span<byte>(fsInfo, 1024).Clear();
            if (ioctl(fd, BTRFS_IOC_FS_INFO, fsInfo) != 0) throw Error("filesystem info", path);
            var maxId = *(ulong*)fsInfo;
            var devices = *(ulong*)(fsInfo + 8);
            for (var i = 0; i < count; i++)
            {
                var s = args + 16 + i * 24;
                var flags = *(ulong*)s;
                var total = (long)*(ulong*)(s + 8);
                var used = (long)*(ulong*)(s + 16);
                if ((flags & SPACE_INFO_GLOBAL_RSV) != 0) reserve = total;
                else if ((flags & BLOCK_GROUP_DATA) != 0)
                {
                    // Mixed block groups (data and metadata together, small filesystems) count as data.
                    dataTotal += total;
                    dataUsed += used;
                    dataRatio = Math.Max(dataRatio, Ratio(flags, devices));
                }
                else if ((flags & BLOCK_GROUP_METADATA) != 0)
                {
                    metaTotal += total;
                    metaUsed += used;
                    metaRatio = Math.Max(metaRatio, Ratio(flags, devices));
                }
            }
            long size = 0, allocated = 0;
            var dev = stackalloc byte[4096];
            for (ulong id = 1; id <= maxId; id++)
            {
                new Span<byte>(dev, 4096).Clear();
                *(ulong*)dev = id;
                if (ioctl(fd, BTRFS_IOC_DEV_INFO, dev) != 0) continue; // a removed device leaves a gap (ENODEV)
                allocated += (long)*(ulong*)(dev + 24);
                size += (long)*(ulong*)(dev + 32);
            }
            return new SpaceUsage(size, Math.Max(0, size - allocated), dataTotal, dataUsed, dataRatio, metaTotal, metaUsed, metaRatio, reserve);
        }
        finally { close(fd); }
    }

    /// <summary>Raw bytes per logical byte of a block group profile (btrfs-progs' btrfs_bg_type_to_factor; RAID5/6 by the device count).</summary>
    static double Ratio(ulong flags, ulong devices) =>
        (flags & RAID1C4) != 0 ? 4
        : (flags & RAID1C3) != 0 ? 3
        : (flags & (RAID1 | DUP | RAID10)) != 0 ? 2
        : (flags & RAID5) != 0 && devices > 1 ? devices / (double)(devices - 1)
        : (flags & RAID6) != 0 && devices > 2 ? devices / (double)(devices - 2)
        : 1;

    /// <inheritdoc />
    public QuotaSizes? QuotaExclusive(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            var result = new Dictionary<ulong, long>();
            var consistent = true;
            var args = stackalloc byte[4096];
            ulong minType = QGROUP_STATUS_KEY, minObjectId = 0, minOffset = 0;
            while (true)
            {
                new Span<byte>(args, 4096).Clear();
                var key = (ulong*)args;
                key[0] = QUOTA_TREE_OBJECTID;
                key[1] = minObjectId;          // min_objectid
                key[2] = 0;                    // max_objectid: every item read here has objectid 0
                key[3] = minOffset;            // min_offset
                key[4] = ulong.MaxValue;       // max_offset
                key[5] = 0;                    // min_transid
                key[6] = ulong.MaxValue;       // max_transid
                *(uint*)(args + 56) = (uint)minType;
                *(uint*)(args + 60) = QGROUP_INFO_KEY;
                *(uint*)(args + 64) = 4096;    // nr_items: as many as fit
                if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, args) != 0)
                {
                    // No quota tree: quotas were never enabled (or were disabled).
                    if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == ENOENT) return null;
                    throw Error("btrfs tree search (quota tree)", path);
                }
                var found = *(uint*)(args + 64);
                if (found == 0) break;
                var p = args + SearchKeySize;
                ulong objectId = 0, offset = 0;
                uint type = 0;
                for (var i = 0; i < found; i++)
                {
                    objectId = *(ulong*)(p + 8);
                    offset = *(ulong*)(p + 16);
                    type = *(uint*)(p + 24);
                    var len = *(uint*)(p + 28);
                    var item = p + SearchHeaderSize;
                    // btrfs_qgroup_status_item: version, generation, flags; btrfs_qgroup_info_item:
                    // generation, rfer, rfer_cmpr, excl, excl_cmpr. Level-0 qgroup ids are the subvolume ids.
                    if (type == QGROUP_STATUS_KEY && len >= 24) consistent = (*(ulong*)(item + 16) & QGROUP_STATUS_FLAG_INCONSISTENT) == 0;
                    else if (type == QGROUP_INFO_KEY && len >= 32 && offset >> 48 == 0) result[offset] = (long)*(ulong*)(item + 24);
                    p += SearchHeaderSize + len;
                }
                // The key space is (objectid, type, offset): go on after the last item seen.
                if (offset < ulong.MaxValue) { minObjectId = objectId; minType = type; minOffset = offset + 1; }
                else if (type < QGROUP_INFO_KEY) { minObjectId = objectId; minType = type + 1; minOffset = 0; }
                else break;
            }
            return new QuotaSizes(result, consistent);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public int SubvolumesBeingDeleted(string path)
    {
        const ulong ROOT_TREE_OBJECTID = 1, ORPHAN_OBJECTID = unchecked((ulong)-5L);
        const uint ORPHAN_ITEM_KEY = 48;
        var fd = OpenDirectory(path);
        try
        {
            var args = stackalloc byte[4096];
            new Span<byte>(args, 4096).Clear();
            var key = (ulong*)args;
            key[0] = ROOT_TREE_OBJECTID;
            key[1] = ORPHAN_OBJECTID;
            key[2] = ORPHAN_OBJECTID;
            key[3] = 0;
            key[4] = ulong.MaxValue;
            key[5] = 0;
            key[6] = ulong.MaxValue;
            *(uint*)(args + 56) = ORPHAN_ITEM_KEY;
            *(uint*)(args + 60) = ORPHAN_ITEM_KEY;
            *(uint*)(args + 64) = 4096;
            if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, args) != 0) throw Error("btrfs tree search (root tree)", path);
            // Only whether any are left matters: one buffer's worth is enough.
            return (int)*(uint*)(args + 64);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public ulong SubvolumeId(string subvolumePath)
    {
        var fd = OpenDirectory(subvolumePath);
        try
        {
            var args = stackalloc byte[1024];
            new Span<byte>(args, 1024).Clear();
            if (ioctl(fd, BTRFS_IOC_GET_SUBVOL_INFO, args) < 0) throw Error("subvolume info", subvolumePath);
            return *(ulong*)args; // treeid
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public long UnsharedDataBytes(string subvolumePath)
    {
        var root = OpenDirectory(subvolumePath);
        try
        {
            var dev = DeviceOf(root, subvolumePath);
            long total = 0;
            var stack = new Stack<string>();
            stack.Push(Path.GetFullPath(subvolumePath));
            while (stack.Count > 0)
            {
                var dir = stack.Pop();
                IEnumerable<FileSystemInfo> entries;
                try { entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", DirectoryEntries.Unfiltered); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (var e in entries)
                {
                    // Never follow a link; never enter another subvolume (its own device number on btrfs).
                    if (e.LinkTarget is not null) continue;
                    if (e is DirectoryInfo d)
                    {
                        if (DeviceOfPath(d.FullName) == dev) stack.Push(d.FullName);
                    }
                    else if (e is FileInfo { Length: > 0 } f)
                        total += UnsharedBytesOf(f.FullName);
                }
            }
            return total;
        }
        finally { close(root); }
    }

    static long UnsharedBytesOf(string path)
    {
        var fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd < 0) return 0; // a FIFO, a socket, gone meanwhile: no extents
        try
        {
            const int size = FiemapHeaderSize + FiemapExtents * FiemapExtentSize;
            var buf = stackalloc byte[size];
            ulong start = 0;
            long total = 0;
            while (true)
            {
                new Span<byte>(buf, size).Clear();
                *(ulong*)buf = start;
                *(ulong*)(buf + 8) = ulong.MaxValue;
                *(uint*)(buf + 24) = FiemapExtents;
                if (ioctl(fd, FS_IOC_FIEMAP, buf) != 0) return total;
                var mapped = *(uint*)(buf + 20);
                if (mapped == 0) return total;
                for (var i = 0; i < mapped; i++)
                {
                    var x = buf + FiemapHeaderSize + i * FiemapExtentSize;
                    var length = *(ulong*)(x + 16);
                    var flags = *(uint*)(x + 40);
                    // Inline extents live in metadata leaves, which snapshots share as whole trees.
                    if ((flags & (FIEMAP_EXTENT_SHARED | FIEMAP_EXTENT_DATA_INLINE)) == 0) total += (long)length;
                    if ((flags & FIEMAP_EXTENT_LAST) != 0) return total;
                    start = *(ulong*)x + length;
                }
            }
        }
        finally { close(fd); }
    }

    static ulong DeviceOf(int fd, string path)
    {
        var buf = stackalloc byte[256];
        if (fstat(fd, buf) != 0) throw Error("fstat", path);
        return *(ulong*)buf; // st_dev
    }

    static ulong DeviceOfPath(string path)
    {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) return ulong.MaxValue;
        try { return DeviceOf(fd, path); }
        finally { close(fd); }
    }
}
