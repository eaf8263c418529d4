namespace Apkgen.Core;

/// <summary>
/// The errno values the library tells apart in a failure (errno(3), Linux's asm-generic
/// numbers, the same on x86_64 and aarch64). Numbers only: the calls that set them are in
/// <c>Linux/</c>.
/// </summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;
    /// <summary>I/O error.</summary>
    public const int EIO = 5;
    /// <summary>Try again (openat2 with RESOLVE_IN_ROOT after a concurrent rename or mount).</summary>
    public const int EAGAIN = 11;
    /// <summary>Block device required.</summary>
    public const int ENOTBLK = 15;
    /// <summary>No such device.</summary>
    public const int ENODEV = 19;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>No space left on device.</summary>
    public const int ENOSPC = 28;
}
