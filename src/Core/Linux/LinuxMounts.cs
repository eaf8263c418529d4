using Apkgen.Core.Edge;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>mount(2), umount2(2) and unshare(2) directly; /proc for what the kernel says.</summary>
public sealed class LinuxMounts : IMounts
{
    /// <inheritdoc />
    public void EnterPrivateNamespace()
    {
        if (unshare(CLONE_NEWNS) != 0) throw Error("unshare", "CLONE_NEWNS");
        // Without this, mounts made here would propagate back to a shared "/" (the default
        // on systemd hosts and under some init systems).
        if (mount(null, "/", null, (ulong)(MountFlags.Recursive | MountFlags.Private), null) != 0)
            throw Error("mount --make-rprivate", "/");
    }

    /// <inheritdoc />
    public void Mount(string source, string target, string? fsType, MountFlags flags, string? data)
    {
        if (mount(source, target, fsType, (ulong)flags, data) != 0)
            throw Error($"mount {source} on", target);
    }

    /// <inheritdoc />
    public void Unmount(string target, bool lazy = false)
    {
        // UMOUNT_NOFOLLOW: a symlink put in a mount point's place is not followed out of it.
        if (umount2(target, (lazy ? MNT_DETACH : 0) | UMOUNT_NOFOLLOW) != 0) throw Error("umount", target);
    }

    /// <inheritdoc />
    public string ReadMountInfo() =>
        File.ReadAllText((TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_TEST_MOUNTINFO") : null) ?? "/proc/self/mountinfo");

    /// <inheritdoc />
    public string ReadKernelCmdline() =>
        File.ReadAllText((TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_TEST_CMDLINE") : null) ?? "/proc/cmdline");
}
