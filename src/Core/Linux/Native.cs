using System.Runtime.InteropServices;

namespace Apkgen.Core.Linux;

/// <summary>The libc calls apkgen makes directly (source-generated, AOT-safe).</summary>
internal static unsafe partial class Native
{
    const string Libc = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, O_NOFOLLOW = 0x20000;
    public const int LOCK_EX = 2, LOCK_NB = 4;
    public const int CLONE_NEWNS = 0x00020000;
    public const int MNT_DETACH = 2;
    public const int EINTR = 4, ENOSPC = 28, ENOENT = 2, EINVAL = 22;
    public const long BTRFS_SUPER_MAGIC = 0x9123683E;

    // ioctl numbers from linux/btrfs.h: _IOW/_IOR(0x94, nr, size).
    public const uint BTRFS_IOC_SNAP_CREATE_V2 = 0x50009417;   // nr 23, struct btrfs_ioctl_vol_args_v2 (4096)
    public const uint BTRFS_IOC_SUBVOL_CREATE_V2 = 0x50009418; // nr 24
    public const uint BTRFS_IOC_SNAP_DESTROY = 0x5000940F;     // nr 15, struct btrfs_ioctl_vol_args (4096)
    public const uint BTRFS_IOC_SUBVOL_GETFLAGS = 0x80089419;  // nr 25, __u64
    public const uint BTRFS_IOC_SUBVOL_SETFLAGS = 0x4008941A;  // nr 26, __u64
    public const uint BTRFS_IOC_GET_SUBVOL_INFO = 0x81F8943C;  // nr 60, struct btrfs_ioctl_get_subvol_info_args (504)
    public const uint BTRFS_IOC_FS_INFO = 0x8400941F;          // nr 31, struct btrfs_ioctl_fs_info_args (1024)
    public const uint BTRFS_IOC_SYNC = 0x00009408;             // nr 8, _IO
    public const uint BTRFS_IOC_START_SYNC = 0x80089418;       // nr 24, __u64
    public const uint BTRFS_IOC_WAIT_SYNC = 0x40089416;        // nr 22, __u64
    public const ulong BTRFS_SUBVOL_RDONLY = 1UL << 1;

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* arg);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fstat(int fd, byte* buf);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int syncfs(int fd);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, nint resolved);

    [LibraryImport(Libc)]
    public static partial void free(nint pointer);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rename(string oldpath, string newpath);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkpath);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statfs(string path, byte* buf);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport(Libc)]
    public static partial uint geteuid();

    // openat2(2): glibc has no wrapper; the syscall number is 437 on every architecture
    // (it came after the unified numbering of 5.1). struct open_how { u64 flags, mode, resolve; }.
    public const long SYS_openat2 = 437;
    public const int O_PATH = 0x200000, O_NONBLOCK = 0x800, O_EXCL = 0x80;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;
    public const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100;
    public const uint STATX_TYPE = 1, STATX_SIZE = 0x200;
    public const int S_IFMT = 0xF000, S_IFREG = 0x8000, S_IFDIR = 0x4000;
    public const int UMOUNT_NOFOLLOW = 8;
    public const int EEXIST = 17, ENOTDIR = 20, ELOOP = 40, EXDEV = 18;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport(Libc, SetLastError = true)]
    public static partial long syscall(long number, int dirfd, byte* path, OpenHow* how, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, int mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, int mode);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int renameat(int olddirfd, string oldpath, int newdirfd, string newpath);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(int dirfd, string path, int flags);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(int dirfd, string path, byte* buf, nuint size);

    [LibraryImport(Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, byte* buf);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nuint count);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nuint count);

    /// <summary>The last errno as an exception naming the call and path.</summary>
    public static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        var msg = Marshal.GetPInvokeErrorMessage(errno);
        return new NativeIOException($"{call} {path}: {msg}", errno);
    }

    /// <summary>Opens a directory (or subvolume root) read-only.</summary>
    public static int OpenDirectory(string path)
    {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", path);
        return fd;
    }
}
