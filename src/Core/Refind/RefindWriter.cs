using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;

namespace Apkgen.Core.Refind;

/// <summary>
/// Decides and writes the rEFInd files: the stanza file ([refind] output), trial.conf in
/// trial mode, and the <c>include</c> line in rEFInd's main configuration.
/// </summary>
public static class RefindWriter
{
    /// <summary>
    /// Rewrites the rEFInd files from the layout; the engine calls it after a commit,
    /// rollback or demotion. Does nothing when [refind] output is unset. Writes only the
    /// files whose content changes, each atomically.
    /// </summary>
    /// <param name="ctx">The system: its configuration ([refind], [layout] device, [bootcheck] mode), block devices and mounts.</param>
    /// <param name="state">The layout as it is now, with the top level mounted at <c>state.Top</c>.</param>
    /// <returns>The paths written (empty when nothing changed or rEFInd is not managed).</returns>
    /// <exception cref="ApkgenException">Slot 0 cannot boot, the device cannot be identified, or the ESP cannot be written.</exception>
    public static IReadOnlyList<string> Refresh(SystemContext ctx, LayoutState state) =>
        Refresh(ctx.Config, state, ctx.BlockDevices, ctx.Mounts);

    /// <summary><see cref="Refresh(SystemContext, LayoutState)"/> with its parts named.</summary>
    /// <param name="config">The configuration ([refind], [layout] device, [bootcheck] mode).</param>
    /// <param name="state">The layout as it is now, with the top level mounted at <c>state.Top</c>.</param>
    /// <param name="probe">blkid, for the volume and root when [refind] does not set them.</param>
    /// <param name="mounts">Mountinfo, for the device the top level is mounted from when [layout] device does not name one.</param>
    public static IReadOnlyList<string> Refresh(ApkgenConfig config, LayoutState state, IBlockDeviceProbe probe, IMounts mounts)
    {
        if (config.Refind.Output is null) return [];
        return Write(Plan(config, state, probe, mounts, devicePath: null));
    }

    /// <summary>
    /// The files and their intended text. <paramref name="devicePath"/> overrides [layout]
    /// device; without either, or when it is a directory, the device the top level is mounted from.
    /// </summary>
    public static IReadOnlyList<RefindFile> Plan(ApkgenConfig config, LayoutState state, IBlockDeviceProbe probe, IMounts mounts, string? devicePath)
    {
        var settings = config.Refind;
        var output = settings.Output ?? throw new ApkgenException("[refind] output is not set",
            "set it to the stanza file on the ESP, e.g. /boot/efi/EFI/refind/apkgen.conf", ExitCodes.Config);
        var mainConfig = settings.MainConfig ?? Path.Combine(Path.GetDirectoryName(output)!, "refind.conf");
        var refindDir = Path.GetDirectoryName(mainConfig)!;
        var includePath = Path.GetRelativePath(refindDir, output);
        if (includePath.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(includePath))
            throw new ApkgenException($"[refind] output {output} is not inside rEFInd's directory {refindDir}",
                "rEFInd includes files relative to its own directory: put output there", ExitCodes.Config);

        // A directory (an already mounted top level, as [layout] device allows) is not a device:
        // then the device is the one that directory is mounted from.
        var device = devicePath ?? config.Layout.Device;
        if ((device is null || Directory.Exists(device)) && (settings.Volume is null || settings.Root is null))
            device = RefindDiscovery.DeviceOfMount(device ?? state.Top.TopDirPath, mounts.ReadMountInfo());
        var fstab = File.Exists(state.Top.FstabTemplatePath) ? File.ReadAllText(state.Top.FstabTemplatePath) : "";
        var target = RefindDiscovery.Target(settings, device, fstab, probe);

        var ids = state.Current.Slots.OfType<string>().Concat(state.Pending?.Slots.Take(1).OfType<string>() ?? []);
        var boots = RefindDiscovery.Boots(state, ids);
        var files = new List<RefindFile>
        {
            new(RefindFileKind.Stanzas, output, RefindConfText.Render(RefindMenuBuilder.Build(settings, target, state, boots))),
        };
        if (config.Bootcheck.Mode == BootcheckMode.Trial)
        {
            var trial = new RefindTrialConf(settings.TrialTimeout, target.Volume, settings.Icon,
                RefindMenuBuilder.BuildTrial(settings, target, state, boots), includePath);
            files.Add(new(RefindFileKind.Trial, settings.TrialOutput ?? Path.Combine(Path.GetDirectoryName(output)!, "trial.conf"), RefindConfText.RenderTrial(trial)));
        }
        if (settings.AddInclude)
        {
            if (!File.Exists(mainConfig))
                throw new ApkgenException($"rEFInd's configuration {mainConfig} does not exist",
                    "install rEFInd on the ESP first, or set [refind] main_config (or add_include = false)", ExitCodes.DataError);
            var text = RefindInclude.Bytes.GetString(File.ReadAllBytes(mainConfig));
            files.Add(new(RefindFileKind.MainConfig, mainConfig, RefindInclude.Ensure(text, includePath)));
        }
        return files;
    }

    /// <summary>Writes each file whose content differs; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RefindFile> files)
    {
        var written = new List<string>();
        foreach (var f in files.Where(f => !f.IsCurrent))
        {
            try
            {
                AtomicFile.Write(f.FilePath, f.Bytes, durable: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ApkgenException($"cannot write {f.FilePath}: {e.Message}", "check that the ESP is mounted read-write and has space",
                    e is Linux.NativeIOException { Errno: 28 } || e.HResult == 28 ? ExitCodes.NoSpace : ExitCodes.Failure, e);
            }
            written.Add(f.FilePath);
        }
        return written;
    }
}
