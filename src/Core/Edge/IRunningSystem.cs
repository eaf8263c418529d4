namespace Apkgen.Core.Edge;

/// <summary>What the kernel says about the running system itself: when it booted, which kernel runs, which device holds <c>/</c>.</summary>
public interface IRunningSystem
{
    /// <summary>When this boot started (proc(5): <c>btime</c> of /proc/stat), or null when unknown.</summary>
    DateTime? BootTime();

    /// <summary>The running kernel's release, as <c>uname -r</c> prints it, or null when unknown.</summary>
    string? KernelRelease();

    /// <summary>
    /// Whether <paramref name="device"/> (symlinks resolved) is the btrfs mounted at the running
    /// system's <c>/</c>. Always the real mount table, never a test's mountinfo fixture: it picks
    /// the file the login notice reads, which a test must not touch.
    /// </summary>
    bool HoldsRoot(string device);
}
