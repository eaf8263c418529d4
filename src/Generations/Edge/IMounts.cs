namespace Apkgen.Generations.Edge;

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

/// <summary>Mounts, the mount namespace, and what the kernel says about the running system.</summary>
public interface IMounts
{
    /// <summary>
    /// Moves this process into a private mount namespace (unshare(CLONE_NEWNS), then every
    /// mount private), so that its mounts vanish with it, even on SIGKILL, and never
    /// propagate to the system. Mount namespaces belong to a thread: the caller keeps all
    /// mount and path work on the calling thread (apkgen's main thread).
    /// </summary>
    void EnterPrivateNamespace();
    /// <summary>mount(2).</summary>
    void Mount(string source, string target, string? fsType, MountFlags flags, string? data);
    /// <summary>umount2(2); lazy detaches a busy mount.</summary>
    void Unmount(string target, bool lazy = false);
    /// <summary>The text of /proc/self/mountinfo.</summary>
    string ReadMountInfo();
    /// <summary>The text of /proc/cmdline.</summary>
    string ReadKernelCmdline();
}
