using System.Runtime.InteropServices;
using Apkgen.Core.Edge;
using Apkgen.Core.Files;
using Microsoft.Win32.SafeHandles;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>
/// A generation's tree read for a diff, confined as <see cref="ConfinedRoot"/> is: every path
/// goes through openat2(2) from a descriptor of the snapshot's root with
/// <c>RESOLVE_IN_ROOT</c>, here with <c>RESOLVE_NO_SYMLINKS</c> too (a diff compares entries
/// physically, and a path through a symlink is not a path of the tree) and
/// <c>RESOLVE_NO_XDEV</c> (a mount is not the generation's). A directory's entries are read
/// with getdents64 on its descriptor and statx of each single name with
/// <c>AT_SYMLINK_NOFOLLOW</c>, so a name cannot lead anywhere else; names are kept as bytes
/// (<see cref="RawNames"/>). An entry on another device or mount (a nested subvolume, a mount
/// point in use) is left out: its content is not in the snapshot. The root descriptor stays
/// open for the diff's few milliseconds, unlike ConfinedRoot's per call.
/// </summary>
public sealed unsafe partial class ConfinedTree : ISnapshotTree
{
    const ulong RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_SYMLINKS = 0x04;
    const uint STATX_BASIC_STATS = 0x7ff, STATX_MNT_ID = 0x1000;
    const int StatxSize = 256;

    readonly int _rootFd;
    readonly (uint Major, uint Minor) _dev;
    readonly ulong? _mountId;

    /// <summary>Opens the tree whose root is the directory at <paramref name="rootPath"/> (a path apkgen controls).</summary>
    public ConfinedTree(string rootPath)
    {
        RootPath = rootPath;
        _rootFd = open(rootPath, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (_rootFd < 0) throw Error("open", rootPath);
        var buf = stackalloc byte[StatxSize];
        if (Statx(_rootFd, null, AT_EMPTY_PATH, buf) != 0) throw Error("statx", rootPath);
        _dev = Dev(buf);
        _mountId = MountId(buf);
    }

    /// <summary>The tree's root as the host names it.</summary>
    public string RootPath { get; }

    /// <inheritdoc />
    public FileEntry? Entry(string relative)
    {
        if (relative.Length == 0) return EntryOf(_rootFd, null);
        var fd = OpenInRoot(relative, O_PATH | O_NOFOLLOW);
        if (fd < 0) return Absent(-fd) ? null : throw Failure(-fd, "open", relative);
        try { return EntryOf(fd, null); }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public IReadOnlyList<(string Name, FileEntry Entry)> List(string relative)
    {
        var fd = relative.Length == 0 ? openat(_rootFd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) : OpenInRoot(relative, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (fd < 0)
        {
            var errno = relative.Length == 0 ? Marshal.GetLastPInvokeError() : -fd;
            return Absent(errno) ? [] : throw Failure(errno, "open", relative);
        }
        try
        {
            var result = new List<(string, FileEntry)>();
            var buf = new byte[32768];
            fixed (byte* p = buf)
                for (; ; )
                {
                    var n = getdents64(fd, p, (nuint)buf.Length);
                    if (n < 0) throw Failure(Marshal.GetLastPInvokeError(), "getdents64", relative);
                    if (n == 0) break;
                    for (long off = 0; off < n;)
                    {
                        var reclen = *(ushort*)(p + off + 16);
                        var name = p + off + 19; // d_ino 8, d_off 8, d_reclen 2, d_type 1
                        var len = 0;
                        while (name[len] != 0) len++;
                        off += reclen;
                        if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) continue;
                        if (EntryOf(fd, name) is { } entry)
                            result.Add((RawNames.Decode(new ReadOnlySpan<byte>(name, len)), entry));
                    }
                }
            return result;
        }
        finally { close(fd); }
    }

    /// <inheritdoc />
    public Stream OpenRead(string relative)
    {
        // O_NONBLOCK: a FIFO put where a file was must not wait for a writer.
        var fd = OpenInRoot(relative, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0) throw Failure(-fd, "open", relative);
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
    }

    /// <inheritdoc />
    public void Dispose() => close(_rootFd);

    /// <summary>statx of the descriptor itself (name null) or of one name in the directory it is; null when it is not the tree's.</summary>
    FileEntry? EntryOf(int fd, byte* name)
    {
        var buf = stackalloc byte[StatxSize];
        if (Statx(fd, name, name is null ? AT_EMPTY_PATH : AT_SYMLINK_NOFOLLOW, buf) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return Absent(errno) ? null : throw Failure(errno, "statx", RootPath);
        }
        if (Dev(buf) != _dev || (_mountId is { } m && MountId(buf) is { } id && id != m)) return null;
        // struct statx: uid 20, gid 24, mode (u16) 28, ino 32, size 40, ctime 96 (sec i64, nsec u32), rdev 128/132.
        var mode = *(ushort*)(buf + 28);
        var type = (uint)(mode & S_IFMT);
        string? target = null;
        if (type == FileEntry.Symlink)
        {
            var link = stackalloc byte[4096];
            var n = name is null ? readlinkat(fd, EmptyName, link, 4096) : readlinkat(fd, name, link, 4096);
            if (n < 0) throw Failure(Marshal.GetLastPInvokeError(), "readlink", RootPath);
            target = RawNames.Decode(new ReadOnlySpan<byte>(link, (int)n));
        }
        var rdev = ((ulong)*(uint*)(buf + 128) << 32) | *(uint*)(buf + 132);
        return new FileEntry(type, (uint)(mode & 0xFFF), *(uint*)(buf + 20), *(uint*)(buf + 24), *(long*)(buf + 40),
            *(ulong*)(buf + 32), *(long*)(buf + 96) * 1_000_000_000 + *(uint*)(buf + 104), rdev, target);
    }

    static readonly byte* EmptyName = (byte*)NativeMemory.AllocZeroed(1);

    static (uint, uint) Dev(byte* buf) => (*(uint*)(buf + 136), *(uint*)(buf + 140));

    static ulong? MountId(byte* buf) => (*(uint*)buf & STATX_MNT_ID) != 0 ? *(ulong*)(buf + 144) : null;

    static int Statx(int fd, byte* name, int flags, byte* buf) =>
        statx(fd, name is null ? EmptyName : name, flags, STATX_BASIC_STATS | STATX_MNT_ID, buf);

    /// <summary>How often an openat2 that met a concurrent rename or mount (EAGAIN) is tried.</summary>
    const int OpenAttempts = 1000;

    /// <summary>openat2 inside the root, no symlink and no mount crossed; the descriptor, or minus errno.</summary>
    int OpenInRoot(string relative, int flags)
    {
        var bytes = RawNames.Encode(relative + "\0");
        var how = new OpenHow { Flags = (ulong)(flags | O_CLOEXEC), Mode = 0, Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV };
        fixed (byte* p = bytes)
        {
            // openat2(2): a ".." walked while a rename or mount happened anywhere in the system is
            // EAGAIN (the kernel cannot prove the walk stayed inside); the caller may retry. A busy
            // system makes it happen (ConfinedRootTests reads through ".." during renames).
            for (var attempt = 1; ; attempt++)
            {
                var fd = syscall(SYS_openat2, _rootFd, p, &how, (nuint)sizeof(OpenHow));
                if (fd >= 0) return (int)fd;
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EAGAIN || attempt == OpenAttempts) return -errno;
            }
        }
    }

    // Not in this tree: missing, a symlink or mount on the way, or a directory expected and something else there.
    static bool Absent(int errno) => errno is ENOENT or ENOTDIR or ELOOP or EXDEV;

    IOException Failure(int errno, string call, string relative) =>
        new NativeIOException($"{call} {Path.Combine(RootPath, RawNames.Printable(relative))}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    static long getdents64(int fd, byte* buf, nuint size) =>
        syscall3(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 217 : 61, fd, buf, size); // asm/unistd: x86_64 217, the generic table 61

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long number, long fd, byte* buf, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, byte* path, int flags, uint mask, byte* buf);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint readlinkat(int dirfd, byte* path, byte* buf, nuint size);
}
