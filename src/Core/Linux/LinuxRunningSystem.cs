using System.Globalization;
using Apkgen.Core.Edge;
using Apkgen.Core.Model;

namespace Apkgen.Core.Linux;

/// <summary><see cref="IRunningSystem"/> from /proc (proc(5)).</summary>
public sealed class LinuxRunningSystem : IRunningSystem
{
    /// <inheritdoc />
    public DateTime? BootTime()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
                if (line.StartsWith("btime ", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                    return DateTime.UnixEpoch.AddSeconds(s);
        }
        catch (IOException) { }
        return null;
    }

    /// <inheritdoc />
    public string? KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim() is { Length: > 0 } r ? r : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public bool HoldsRoot(string device)
    {
        try
        {
            var root = MountEntry.Parse(File.ReadAllText("/proc/self/mountinfo")).LastOrDefault(m => m.MountPoint == "/");
            return root is { FsType: "btrfs" } && (RealPaths.Resolve(root.Source) ?? root.Source) == (RealPaths.Resolve(device) ?? device);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
