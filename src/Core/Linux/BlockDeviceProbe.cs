using System.Globalization;
using Apkgen.Core.Edge;
using Apkgen.Core.Refind;

namespace Apkgen.Core.Linux;

/// <summary>
/// <see cref="IBlockDeviceProbe"/> by util-linux blkid and /sys/class/block. <c>-p</c> probes the device itself
/// (no cache, which may be stale or absent on a rescue system); on a partition device it also
/// reports the GPT entry's name and unique GUID as PART_ENTRY_NAME and PART_ENTRY_UUID.
/// busybox blkid does not report those (the guide says so), hence util-linux's. A device's
/// place (its disk, its partition number, a loop device's backing image) comes from /sys.
/// </summary>
public sealed class BlockDeviceProbe(IProcessRunner processes, string blkidPath = "blkid", string sysBlockDirPath = "/sys/class/block") : IBlockDeviceProbe
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

    /// <inheritdoc/>
    public (string Disk, int Partition)? PartitionOf(string devicePath)
    {
        var sys = Path.Combine(sysBlockDirPath, Path.GetFileName(devicePath));
        var partitionFile = Path.Combine(sys, "partition");
        if (!File.Exists(partitionFile)
            || !int.TryParse(File.ReadAllText(partitionFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            return null;
        // /sys/class/block/sda1 -> ../../devices/.../block/sda/sda1: the parent is the disk.
        var real = new DirectoryInfo(sys).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? sys;
        return ("/dev/" + Path.GetFileName(Path.GetDirectoryName(real)), partition);
    }

    /// <inheritdoc/>
    public GptPartition? LoopPartition(string devicePath)
    {
        var name = Path.GetFileName(devicePath);
        var loopDir = Path.Combine(sysBlockDirPath, name, "loop");
        if (!name.StartsWith("loop", StringComparison.Ordinal) || !Directory.Exists(loopDir)) return null;
        var backing = File.ReadAllText(Path.Combine(loopDir, "backing_file")).Trim();
        if (!long.TryParse(File.ReadAllText(Path.Combine(loopDir, "offset")).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || offset == 0 || !File.Exists(backing))
            return null;
        using var image = File.OpenRead(backing);
        return GptReader.Read(image).FirstOrDefault(p => p.FirstLba * 512 == offset);
    }
}
