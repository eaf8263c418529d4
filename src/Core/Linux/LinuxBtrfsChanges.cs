using System.Runtime.InteropServices;
using Apkgen.Core.Edge;
using Apkgen.Core.Files;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>
/// btrfs's record of changes through its ioctls (linux/btrfs.h, btrfs_tree.h), as
/// <c>btrfs subvolume find-new</c> reads it: BTRFS_IOC_TREE_SEARCH_V2 over the subvolume's own
/// tree with <c>min_transid</c>, which skips every tree block no later transaction wrote, then
/// each inode item's own <c>transid</c> (the transaction that last updated it) decides. Names
/// come from the inodes' INODE_REF/INODE_EXTREF items and BTRFS_IOC_INO_LOOKUP for their
/// directories: no file of the tree is opened here.
/// </summary>
public sealed unsafe class LinuxBtrfsChanges : IBtrfsChanges
{
    const uint BTRFS_IOC_TREE_SEARCH_V2 = 0xC0709411; // _IOWR(0x94, 17, struct btrfs_ioctl_search_args_v2 (112))
    const uint BTRFS_IOC_INO_LOOKUP = 0xD0009412;     // _IOWR(0x94, 18, struct btrfs_ioctl_ino_lookup_args (4096))
    const uint InodeItem = 1, InodeRef = 12, InodeExtref = 13;
    const ulong FirstFreeObjectid = 256, LastFreeObjectid = unchecked((ulong)-256L);
    const int KeySize = 104, ArgsHeader = 112, BufSize = 256 * 1024, HeaderSize = 32;

    /// <inheritdoc />
    public SubvolumeInfo Info(string subvolumePath)
    {
        var fd = OpenDirectory(subvolumePath);
        try
        {
            // btrfs keeps inode and directory updates in delayed items until a transaction
            // commits, and neither the tree search nor the root item's generation sees them
            // (measured: an append to a file of a snapshot not yet synced was missed).
            // Committed generations were synced by their commit, so this is nearly free.
            if (syncfs(fd) != 0) throw Error("syncfs", subvolumePath);
            var args = stackalloc byte[1024];
            new Span<byte>(args, 1024).Clear();
            if (ioctl(fd, BTRFS_IOC_GET_SUBVOL_INFO, args) < 0) throw Error("subvolume info", subvolumePath);
            // treeid 8, name 256, parent_id 8, dirid 8, generation 280, flags 288, uuid 296,
            // parent_uuid 312, received_uuid 328, ctransid 344, otransid 352.
            return new SubvolumeInfo(
                Uuid: new Guid(new ReadOnlySpan<byte>(args + 296, 16), bigEndian: true),
                ParentUuid: new Guid(new ReadOnlySpan<byte>(args + 312, 16), bigEndian: true),
                Generation: *(ulong*)(args + 280),
                CreatedTransid: *(ulong*)(args + 352),
                ReadOnly: (*(ulong*)(args + 288) & BTRFS_SUBVOL_RDONLY) != 0);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ChangedSince(string subvolumePath, ulong transid)
    {
        var fd = OpenDirectory(subvolumePath);
        var args = (byte*)NativeMemory.Alloc(ArgsHeader + BufSize);
        try
        {
            var inodes = new List<ulong>();
            // Items are keyed (objectid, type, offset); the range is compound, so other item
            // types of the same inodes come too and are skipped here (as find-new does).
            Search(fd, args, subvolumePath, (FirstFreeObjectid, InodeItem, 0), (LastFreeObjectid, InodeItem, ulong.MaxValue), transid + 1, (objectid, type, offset, data, len) =>
            {
                // struct btrfs_inode_item: generation (8), then transid: the last transaction that updated it.
                if (type == InodeItem && len >= 16 && *(ulong*)(data + 8) > transid) inodes.Add(objectid);
            });
            var directories = new Dictionary<ulong, string> { [FirstFreeObjectid] = "" };
            var paths = new List<string>();
            foreach (var ino in inodes)
            {
                if (ino == FirstFreeObjectid) { paths.Add(""); continue; }
                foreach (var (parent, name) in Names(fd, args, subvolumePath, ino))
                {
                    var dir = DirectoryPath(fd, subvolumePath, parent, directories);
                    paths.Add(dir.Length == 0 ? name : dir + "/" + name);
                }
            }
            return paths;
        }
        finally
        {
            NativeMemory.Free(args);
            close(fd);
        }
    }

    delegate void Visit(ulong objectid, uint type, ulong offset, byte* data, uint len);

    /// <summary>Every item name of an inode: (parent directory inode, name).</summary>
    static List<(ulong Parent, string Name)> Names(int fd, byte* args, string path, ulong ino)
    {
        var names = new List<(ulong, string)>();
        Search(fd, args, path, (ino, InodeRef, 0), (ino, InodeExtref, ulong.MaxValue), 0, (objectid, type, offset, data, len) =>
        {
            if (objectid != ino) return;
            var parent = offset; // an INODE_REF's key offset is its directory's inode
            for (uint off = 0; off < len;)
            {
                if (type == InodeRef)
                {
                    // struct btrfs_inode_ref: index (8), name_len (2), name; the key's offset is the directory.
                    var nameLen = *(ushort*)(data + off + 8);
                    names.Add((parent, RawNames.Decode(new ReadOnlySpan<byte>(data + off + 10, nameLen))));
                    off += 10u + nameLen;
                }
                else if (type == InodeExtref)
                {
                    // struct btrfs_inode_extref: parent_objectid (8), index (8), name_len (2), name (the key's offset is a hash).
                    var nameLen = *(ushort*)(data + off + 16);
                    names.Add((*(ulong*)(data + off), RawNames.Decode(new ReadOnlySpan<byte>(data + off + 18, nameLen))));
                    off += 18u + nameLen;
                }
                else return;
            }
        });
        return names;
    }

    /// <summary>A directory's path relative to the subvolume's root, from BTRFS_IOC_INO_LOOKUP ("a/b/", trailing slash).</summary>
    static string DirectoryPath(int fd, string path, ulong dir, Dictionary<ulong, string> known)
    {
        if (known.TryGetValue(dir, out var found)) return found;
        var args = stackalloc byte[4096];
        new Span<byte>(args, 4096).Clear();
        *(ulong*)(args + 8) = dir; // treeid 0: the subvolume of fd
        if (ioctl(fd, BTRFS_IOC_INO_LOOKUP, args) < 0) throw Error("inode lookup", path);
        var name = new ReadOnlySpan<byte>(args + 16, 4080);
        var end = name.IndexOf((byte)0);
        var text = RawNames.Decode(name[..(end < 0 ? name.Length : end)]).TrimEnd('/');
        known[dir] = text;
        return text;
    }

    /// <summary>BTRFS_IOC_TREE_SEARCH_V2 over the fd's own tree from one key to another, batch after batch.</summary>
    static void Search(int fd, byte* args, string path, (ulong Objectid, uint Type, ulong Offset) min, (ulong Objectid, uint Type, ulong Offset) max, ulong minTransid, Visit visit)
    {
        var key = min;
        for (; ; )
        {
            new Span<byte>(args, ArgsHeader).Clear();
            // struct btrfs_ioctl_search_key: tree_id, min_objectid, max_objectid, min_offset,
            // max_offset, min_transid, max_transid (u64 each), min_type, max_type, nr_items (u32).
            *(ulong*)(args + 8) = key.Objectid;
            *(ulong*)(args + 16) = max.Objectid;
            *(ulong*)(args + 24) = key.Offset;
            *(ulong*)(args + 32) = max.Offset;
            *(ulong*)(args + 40) = minTransid;
            *(ulong*)(args + 48) = ulong.MaxValue;
            *(uint*)(args + 56) = key.Type;
            *(uint*)(args + 60) = max.Type;
            *(uint*)(args + 64) = uint.MaxValue;
            *(ulong*)(args + KeySize) = BufSize;
            if (ioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, args) < 0) throw Error("tree search", path);
            var count = *(uint*)(args + 64);
            if (count == 0) return;
            var p = args + ArgsHeader;
            for (var i = 0; i < count; i++)
            {
                // struct btrfs_ioctl_search_header: transid, objectid, offset (u64), type, len (u32).
                var objectid = *(ulong*)(p + 8);
                var offset = *(ulong*)(p + 16);
                var type = *(uint*)(p + 24);
                var len = *(uint*)(p + 28);
                visit(objectid, type, offset, p + HeaderSize, len);
                key = (objectid, type, offset);
                p += HeaderSize + len;
            }
            // The next key after the last one (btrfs-progs: the offset, then the type, then the objectid carries).
            if (key.Offset < ulong.MaxValue) key.Offset++;
            else if (key.Type < 255) (key.Type, key.Offset) = (key.Type + 1, 0);
            else if (key.Objectid < ulong.MaxValue) (key.Objectid, key.Type, key.Offset) = (key.Objectid + 1, 0, 0);
            else return;
            if (Compare(key, max) > 0) return;
        }
    }

    static int Compare((ulong O, uint T, ulong F) a, (ulong O, uint T, ulong F) b) =>
        a.O != b.O ? a.O.CompareTo(b.O) : a.T != b.T ? a.T.CompareTo(b.T) : a.F.CompareTo(b.F);
}
