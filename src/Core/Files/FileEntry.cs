namespace Apkgen.Core.Files;

/// <summary>
/// What a diff compares of one directory entry, as lstat sees it (a symlink is not followed).
/// <see cref="Ino"/> and <see cref="CtimeNs"/> are not content: they only let two entries that
/// a btrfs snapshot shares be called equal without reading them.
/// </summary>
/// <param name="Type">The file type bits of st_mode (<c>S_IFMT</c>).</param>
/// <param name="Permissions">The permission, setuid, setgid and sticky bits (07777).</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Ino">Inode number (preserved by a btrfs snapshot).</param>
/// <param name="CtimeNs">Status change time in nanoseconds (btrfs sets it on every change of data or metadata).</param>
/// <param name="Rdev">Device number of a character or block device.</param>
/// <param name="LinkTarget">A symlink's target, raw bytes kept as <see cref="RawNames"/> does; null for other types.</param>
public sealed record FileEntry(uint Type, uint Permissions, uint Uid, uint Gid, long Size, ulong Ino, long CtimeNs, ulong Rdev, string? LinkTarget)
{
    /// <summary><c>S_IFDIR</c>.</summary>
    public const uint Directory = 0x4000;
    /// <summary><c>S_IFREG</c>.</summary>
    public const uint Regular = 0x8000;
    /// <summary><c>S_IFLNK</c>.</summary>
    public const uint Symlink = 0xA000;
    /// <summary><c>S_IFCHR</c>.</summary>
    public const uint CharDevice = 0x2000;
    /// <summary><c>S_IFBLK</c>.</summary>
    public const uint BlockDevice = 0x6000;

    /// <summary>True for a directory.</summary>
    public bool IsDirectory => Type == Directory;
}
