using Apkgen.Generations.Edge;

namespace Apkgen.Generations.Refind;

/// <summary>
/// Reads the identifiers of a block device (what <c>blkid -p -o export</c> prints: LABEL,
/// UUID, TYPE, PART_ENTRY_NAME, PART_ENTRY_UUID, ...). Narrow so that pure tests substitute it.
/// </summary>
public interface IBlockDeviceProbe
{
    /// <summary>KEY=value pairs for the device; empty when blkid finds nothing.</summary>
    IReadOnlyDictionary<string, string> Probe(string devicePath);
}

/// <summary>
/// <see cref="IBlockDeviceProbe"/> by util-linux blkid. <c>-p</c> probes the device itself
/// (no cache, which may be stale or absent on a rescue system); on a partition device it also
/// reports the GPT entry's name and unique GUID as PART_ENTRY_NAME and PART_ENTRY_UUID.
/// busybox blkid does not report those (the guide says so), hence util-linux's.
/// </summary>
public sealed class BlkidProbe(IProcessRunner processes, string blkidPath = "blkid") : IBlockDeviceProbe
{
    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> Probe(string devicePath)
    {
        ProcessResult result;
        try
        {
            result = processes.RunCaptured(new ProcessSpec(blkidPath, ["-p", "-o", "export", devicePath]));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ApkgenException($"cannot run {blkidPath}: {e.Message}", "install util-linux's blkid (apk add blkid)", ExitCodes.Failure, e);
        }
        // blkid exits 2 when it finds no identifiers on the device.
        if (result.ExitCode == 2) return new Dictionary<string, string>();
        if (result.ExitCode != 0)
            throw new ApkgenException($"blkid -p {devicePath} failed ({result.ExitCode}): {result.StandardError.Trim()}",
                "check that the device exists and that you are root", ExitCodes.Failure);
        return ParseExport(result.StandardOutput);
    }

    /// <summary>Parses <c>blkid -o export</c> output: KEY=value lines.</summary>
    public static Dictionary<string, string> ParseExport(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return values;
    }
}
