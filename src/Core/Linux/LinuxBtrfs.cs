using System.Text;
using Apkgen.Core.Edge;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>
/// btrfs through its ioctls (linux/btrfs.h), without spawning btrfs-progs: a transaction's
/// overhead is measured against raw syscalls (bench/), and each `btrfs` process costs
/// milliseconds.
/// </summary>
public sealed unsafe class LinuxBtrfs : IBtrfs
{
    const int VolArgsSize = 4096;
    const int NameOffsetV2 = 56;   // fd, transid, flags, unused[4]
    const int NameMaxV2 = 4040;
    const int NameOffsetV1 = 8;    // fd
    const int NameMaxV1 = 4088;

    /// <inheritdoc />
    public bool IsBtrfs(string path)
    {
        var buf = stackalloc byte[256];
        if (statfs(path, buf) != 0) throw Error("statfs", path);
        return *(long*)buf == BTRFS_SUPER_MAGIC; // f_type is the first field on 64-bit Linux
    }

    /// <inheritdoc />
    public bool IsSubvolume(string path)
    {
        // The root directory of every btrfs subvolume has inode number 256 (BTRFS_FIRST_FREE_OBJECTID).
        if (!Directory.Exists(path) || IsSymlink(path) || !IsBtrfs(path)) return false;
        return InodeOf(path) == 256;
    }

    static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;

    static ulong InodeOf(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            return StatIno(fd);
        }
        finally { close(fd); }
    }

    static ulong StatIno(int fd)
    {
        var buf = stackalloc byte[256];
        if (fstat(fd, buf) != 0) throw Error("fstat", fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return *(ulong*)(buf + 8); // struct stat on x86_64 and aarch64: st_dev (8), st_ino (8)
    }

    /// <inheritdoc />
    public void CreateSubvolume(string path)
    {
        var (dirFd, name) = OpenParent(path);
        try
        {
            var args = stackalloc byte[VolArgsSize];
            new Span<byte>(args, VolArgsSize).Clear();
            WriteName(args + NameOffsetV2, NameMaxV2, name);
            if (ioctl(dirFd, BTRFS_IOC_SUBVOL_CREATE_V2, args) != 0) throw Error("create subvolume", path);
        }
        finally { close(dirFd); }
    }

    /// <inheritdoc />
    public void Snapshot(string sourceSubvolumePath, string destinationPath, bool readOnly)
    {
        var srcFd = OpenDirectory(sourceSubvolumePath);
        try
        {
            var (dirFd, name) = OpenParent(destinationPath);
            try
            {
                var args = stackalloc byte[VolArgsSize];
                new Span<byte>(args, VolArgsSize).Clear();
                *(long*)args = srcFd;
                *(ulong*)(args + 16) = readOnly ? BTRFS_SUBVOL_RDONLY : 0;
                WriteName(args + NameOffsetV2, NameMaxV2, name);
                if (ioctl(dirFd, BTRFS_IOC_SNAP_CREATE_V2, args) != 0)
                    throw Error("snapshot " + sourceSubvolumePath + " to", destinationPath);
            }
            finally { close(dirFd); }
        }
        finally { close(srcFd); }
    }

    /// <inheritdoc />
    public bool IsReadOnly(string subvolumePath)
    {
        var fd = OpenDirectory(subvolumePath);
        try
        {
            ulong flags;
            if (ioctl(fd, BTRFS_IOC_SUBVOL_GETFLAGS, &flags) != 0) throw Error("get flags", subvolumePath);
            return (flags & BTRFS_SUBVOL_RDONLY) != 0;
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public void SetReadOnly(string subvolumePath, bool readOnly)
    {
        var fd = OpenDirectory(subvolumePath);
        try
        {
            ulong flags;
            if (ioctl(fd, BTRFS_IOC_SUBVOL_GETFLAGS, &flags) != 0) throw Error("get flags", subvolumePath);
            flags = readOnly ? flags | BTRFS_SUBVOL_RDONLY : flags & ~BTRFS_SUBVOL_RDONLY;
            if (ioctl(fd, BTRFS_IOC_SUBVOL_SETFLAGS, &flags) != 0) throw Error("set flags", subvolumePath);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public void DeleteSubvolume(string subvolumePath)
    {
        var (dirFd, name) = OpenParent(subvolumePath);
        try
        {
            var args = stackalloc byte[VolArgsSize];
            new Span<byte>(args, VolArgsSize).Clear();
            WriteName(args + NameOffsetV1, NameMaxV1, name);
            if (ioctl(dirFd, BTRFS_IOC_SNAP_DESTROY, args) != 0) throw Error("delete subvolume", subvolumePath);
        }
        finally { close(dirFd); }
    }

    /// <inheritdoc />
    public void SyncFs(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            if (syncfs(fd) != 0) throw Error("syncfs", path);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public void SyncAndClean(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            if (ioctl(fd, BTRFS_IOC_SYNC, null) != 0) throw Error("btrfs sync", path);
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public ulong TreeGeneration(string subvolumePath)
    {
        var fd = OpenDirectory(subvolumePath);
        try
        {
            var args = stackalloc byte[1024];
            new Span<byte>(args, 1024).Clear();
            // Some kernels return 1 (a tree search result) after filling the struct: only negative is failure.
            if (ioctl(fd, BTRFS_IOC_GET_SUBVOL_INFO, args) < 0) throw Error("subvolume info", subvolumePath);
            return *(ulong*)(args + 280); // treeid 8, name 256, parent_id 8, dirid 8, then generation
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public bool ChangedSince(string subvolumePath, ulong generation) => TreeGeneration(subvolumePath) != generation;

    /// <inheritdoc />
    public Guid FilesystemUuid(string path)
    {
        var fd = OpenDirectory(path);
        try
        {
            var args = stackalloc byte[1024];
            new Span<byte>(args, 1024).Clear();
            if (ioctl(fd, BTRFS_IOC_FS_INFO, args) != 0) throw Error("filesystem info", path);
            return new Guid(new ReadOnlySpan<byte>(args + 16, 16), bigEndian: true); // max_id, num_devices, fsid[16]
        }
        finally { close(fd); }
    }

    static (int DirFd, string Name) OpenParent(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var parent = Path.GetDirectoryName(full) ?? "/";
        return (OpenDirectory(parent), Path.GetFileName(full));
    }

    static void WriteName(byte* dst, int max, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        if (bytes.Length >= max) throw new ArgumentException("subvolume name too long", nameof(name));
        bytes.CopyTo(new Span<byte>(dst, max));
    }
}
