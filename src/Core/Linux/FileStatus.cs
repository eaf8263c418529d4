using System.Runtime.InteropServices;

namespace Apkgen.Core.Linux;

/// <summary>
/// What fstat(2) says of a path, opened with <c>O_PATH</c> (no read permission needed, a FIFO
/// is not waited on): the library's owner, mode and identity checks read it here, not through
/// <see cref="Native"/>.
/// </summary>
/// <param name="Dev">st_dev.</param>
/// <param name="Ino">st_ino.</param>
/// <param name="Mode">st_mode: the file type (<c>&amp; 0xF000</c>) and the permission bits.</param>
/// <param name="Uid">st_uid.</param>
public readonly record struct FileStatus(ulong Dev, ulong Ino, uint Mode, uint Uid)
{
    const int O_PATH = 0x200000;

    /// <summary>
    /// The status of <paramref name="path"/>, or null when it cannot be opened or stat'ed.
    /// <paramref name="followSymlink"/> false adds O_NOFOLLOW (a symlink itself is opened);
    /// true also follows a /proc/PID/fd magic link to the open file.
    /// </summary>
    public static unsafe FileStatus? Of(string path, bool followSymlink)
    {
        var fd = Native.open(path, O_PATH | Native.O_CLOEXEC | (followSymlink ? 0 : Native.O_NOFOLLOW), 0);
        if (fd < 0) return null;
        try
        {
            var st = stackalloc byte[256];
            if (Native.fstat(fd, st) != 0) return null;
            // struct stat: st_dev at 0, st_ino at 8 on both; x86_64 has st_nlink (8) before
            // st_mode, the generic layout (aarch64) after.
            var (modeOffset, uidOffset) = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? (24, 28) : (16, 24);
            return new FileStatus(*(ulong*)st, *(ulong*)(st + 8), *(uint*)(st + modeOffset), *(uint*)(st + uidOffset));
        }
        finally { Native.close(fd); }
    }

    /// <summary>
    /// (inode, ctime) of <paramref name="path"/> itself (statx(2), AT_SYMLINK_NOFOLLOW), or null:
    /// equal in a snapshot and its source until the file is rewritten.
    /// </summary>
    public static unsafe (ulong Ino, long Sec, uint Nsec)? InodeAndChangeTime(string path)
    {
        const uint STATX_CTIME = 0x80, STATX_INO = 0x100;
        var buf = stackalloc byte[256];
        if (Native.statx(Native.AT_FDCWD, path, Native.AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_CTIME, buf) != 0) return null;
        // struct statx: stx_ino at 32, stx_ctime (tv_sec i64, tv_nsec u32) at 96.
        return (*(ulong*)(buf + 32), *(long*)(buf + 96), *(uint*)(buf + 104));
    }
}
