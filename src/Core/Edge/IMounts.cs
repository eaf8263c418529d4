namespace Apkgen.Core.Edge;

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
