using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Refind;

/// <summary>
/// Finds what the stanzas need from the running system: the btrfs device's identifiers, the
/// swap line of the fstab template, and what each generation's /boot holds. Every value
/// can be set in [refind] instead, and then nothing is probed for it.
/// </summary>
public static class RefindDiscovery
{
    /// <summary>
    /// Volume, root and resume for the btrfs on <paramref name="devicePath"/>. The volume is
    /// the GPT partition name, else the filesystem label, else the PARTUUID: rEFInd's
    /// VolumeMatchesDescription (lib.c) compares names and labels case-insensitively and a
    /// GUID only with the partition GUID, never with the filesystem UUID.
    /// </summary>
    public static RefindTarget Target(RefindSection settings, string? devicePath, string fstabTemplateText, IBlockDeviceProbe probe)
    {
        DeviceIds? ids = null;
        DeviceIds Ids() => ids ??= devicePath is null
            ? throw new ApkgenException("no btrfs device to read the rEFInd volume and root from",
                "set [layout] device, or [refind] volume and root, in /etc/apkgen.conf", ExitCodes.Usage)
            : Probe(devicePath, probe);
        var volume = settings.Volume ?? Ids().Volume
            ?? throw new ApkgenException($"{devicePath} has no partition name, label or partition GUID for rEFInd's volume",
                "name the GPT partition (sgdisk -c N:ROOT) or set [refind] volume", ExitCodes.DataError);
        var root = settings.Root ?? "UUID=" + Ids().FsUuid;
        var resume = settings.Resume is { } r
            ? (r.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : r)
            : SwapFromFstab(fstabTemplateText);
        return new RefindTarget(volume, root, resume);
    }

    /// <summary>The identifiers of a btrfs device that rEFInd and the kernel can match.</summary>
    /// <param name="PartLabel">GPT partition name.</param>
    /// <param name="Label">Filesystem label.</param>
    /// <param name="PartUuid">GPT unique partition GUID.</param>
    /// <param name="FsUuid">The btrfs filesystem UUID (for <c>root=UUID=</c>).</param>
    public sealed record DeviceIds(string? PartLabel, string? Label, string? PartUuid, string FsUuid)
    {
        /// <summary>What rEFInd's <c>volume</c> should say: name, else label, else PARTUUID.</summary>
        public string? Volume => PartLabel ?? Label ?? PartUuid;
    }

    /// <summary>
    /// Probes the device. When blkid reports no partition entry and the device is a loop
    /// device over a disk image at an offset (how a partition of an image is mapped where
    /// partition nodes cannot be made), the name and GUID come from the image's GPT entry
    /// that starts at that offset.
    /// </summary>
    public static DeviceIds Probe(string devicePath, IBlockDeviceProbe probe)
    {
        var v = probe.Probe(devicePath);
        var type = v.GetValueOrDefault("TYPE");
        if (type != "btrfs")
            throw new ApkgenException($"{devicePath} is not btrfs (blkid says {(type is null ? "nothing" : "TYPE=" + type)})",
                "set [layout] device to the btrfs partition that holds the layout", ExitCodes.DataError);
        var uuid = v.GetValueOrDefault("UUID")
            ?? throw new ApkgenException($"blkid reports no UUID for {devicePath}", "check the filesystem with btrfs check", ExitCodes.DataError);
        var partLabel = NonEmpty(v.GetValueOrDefault("PART_ENTRY_NAME") ?? v.GetValueOrDefault("PARTLABEL"));
        var partUuid = NonEmpty(v.GetValueOrDefault("PART_ENTRY_UUID") ?? v.GetValueOrDefault("PARTUUID"));
        if (partLabel is null && partUuid is null && probe.LoopPartition(devicePath) is { } gpt)
            (partLabel, partUuid) = (NonEmpty(gpt.Name), gpt.UniqueGuid);
        return new DeviceIds(partLabel, NonEmpty(v.GetValueOrDefault("LABEL")), partUuid, uuid);
    }

    /// <summary>
    /// The <c>resume=</c> value from the fstab template: the first field of the first line
    /// whose type (third field) is <c>swap</c>, as written (<c>UUID=...</c>, <c>/dev/...</c>); null if none.
    /// </summary>
    public static string? SwapFromFstab(string fstabText)
    {
        foreach (var raw in fstabText.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 3 && f[2] == "swap") return f[0];
        }
        return null;
    }

    /// <summary>
    /// What each generation in <paramref name="ids"/> has in <c>snapshots/ID/@/boot</c>. The
    /// kernels come from generation.ini when it lists them, else from /boot and the installed db.
    /// </summary>
    public static Dictionary<string, GenerationBoot> Boots(LayoutState state, IEnumerable<string> ids)
    {
        var result = new Dictionary<string, GenerationBoot>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct())
        {
            if (state.Find(id) is not { } generation) continue;
            var rootPath = state.Top.RootSubvolumePath(id);
            // Resolved inside the generation: a boot/ linked to the host's /boot lists nothing of the host.
            var files = new ConfinedRoot(rootPath).ListNames("boot").ToHashSet(StringComparer.Ordinal);
            // Only kernels whose file is really there: generation.ini may predate a manual change.
            IReadOnlyList<KernelInfo> kernels = generation.Info.Kernels.Count > 0
                ? generation.Info.Kernels.Where(k => files.Contains(KernelChoice.KernelFileName(k.Flavor))).ToList()
                : SnapshotContents.DiscoverKernels(rootPath, SnapshotContents.ReadInstalled(rootPath));
            result[id] = new GenerationBoot(kernels, files);
        }
        return result;
    }

    /// <summary>
    /// The device the top level at <paramref name="topDirPath"/> is mounted from, read from
    /// mountinfo (the last mount on that path wins, as the kernel shows it).
    /// </summary>
    public static string? DeviceOfMount(string topDirPath, string mountInfoText)
    {
        var full = Path.GetFullPath(topDirPath).TrimEnd('/');
        if (full.Length == 0) full = "/";
        return MountEntry.Parse(mountInfoText).LastOrDefault(m => m.MountPoint == full && m.FsType == "btrfs")?.Source;
    }

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
