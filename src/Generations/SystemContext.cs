using Apkgen.Generations.Configuration;
using Apkgen.Generations.Edge;
using Apkgen.Generations.Linux;

namespace Apkgen.Generations;

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

    /// <summary>The real adapters.</summary>
    public static SystemContext Real(ApkgenConfig config) =>
        new(config, new LinuxBtrfs(), new LinuxMounts(), new ProcessRunner(), new SystemClock(), Console.Out, Console.Error);

    /// <summary>Prints a line for the user on standard error, prefixed <c>apkgen: </c>.</summary>
    public void Say(string message) => Err.WriteLine("apkgen: " + message);
}
