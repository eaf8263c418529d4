namespace Apkgen.Core.Edge;

/// <summary>Mount flags of mount(2) that apkgen uses.</summary>
[Flags]
public enum MountFlags : ulong
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>MS_RDONLY</summary>
    ReadOnly = 1,
    /// <summary>MS_NOSUID</summary>
    NoSuid = 2,
    /// <summary>MS_NODEV</summary>
    NoDev = 4,
    /// <summary>MS_NOEXEC</summary>
    NoExec = 8,
    /// <summary>MS_REMOUNT</summary>
    Remount = 32,
    /// <summary>MS_NOATIME</summary>
    NoAtime = 1024,
    /// <summary>MS_BIND</summary>
    Bind = 4096,
    /// <summary>MS_REC</summary>
    Recursive = 16384,
    /// <summary>MS_PRIVATE</summary>
    Private = 1 << 18,
}
