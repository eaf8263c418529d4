using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;

namespace Apkgen.Core;

/// <summary>
/// Everything apkgen needs from the outside world, built once in each executable's
/// composition root (tests build it with substitutes or on a loop device).
/// </summary>
public sealed record SystemContext(
    ApkgenConfig Config,
    IBtrfs Btrfs,
    IMounts Mounts,
    IProcessRunner Processes,
    IClock Clock,
    TextWriter Out,
    TextWriter Err)
{
    /// <summary>blkid and /sys for block devices (the rEFInd volume and root, the ESP's disk and partition).</summary>
    public IBlockDeviceProbe BlockDevices { get; init; } = new BlockDeviceProbe(Processes);

    /// <summary>Randomness for ids.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>btrfs space: free space, qgroups, exclusive sizes (the change's space check, gc and list sizes).</summary>
    public IBtrfsSpace Space { get; init; } = new LinuxBtrfsSpace();

    /// <summary>The running processes (a transaction stops what a change left running).</summary>
    public IProcessTable ProcessTable { get; init; } = new LinuxProcessTable();

    /// <summary>The global lock's flock.</summary>
    public IFileLocks FileLocks { get; init; } = new LinuxFileLocks();

    /// <summary>The running system: boot time, kernel release, the device of <c>/</c>.</summary>
    public IRunningSystem RunningSystem { get; init; } = new LinuxRunningSystem();

    /// <summary>The symlinks and the rename of the layout's switch.</summary>
    public ILinks Links { get; init; } = new LinuxLinks();

    /// <summary>Where the crash tests stop a commit or a gc; nothing in a shipped executable.</summary>
    public IFaultPoints Faults { get; init; } = NoFaultPoints.Instance;

    /// <summary>
    /// The real adapters. Fault points only in the TestHooks build: the branch, and with it
    /// the type that reads APKGEN_FAULT_*, is trimmed from every publish.
    /// </summary>
    public static SystemContext Real(ApkgenConfig config) =>
        new(config, new LinuxBtrfs(), new LinuxMounts(), new ProcessRunner(), new SystemClock(), Console.Out, Console.Error)
        {
            Faults = TestHooks.Enabled ? EnvironmentFaultPoints.FromEnvironment() : NoFaultPoints.Instance,
        };

    /// <summary>A new generation or links id (the seed's form) from this context's clock and randomness.</summary>
    public string NewId() => Model.GenerationId.New(Clock.UtcNow, Random);

    /// <summary>Prints a line for the user on standard error, prefixed <c>apkgen: </c>.</summary>
    public void Say(string message) => Err.WriteLine("apkgen: " + message);
}
