using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;
using Apkgen.Core.Refind;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Boot;

/// <summary>
/// Trial mode's step after a commit (which left <c>current</c> alone and made
/// <c>pending</c>): verify the trial's boot files resolve, make sure the Boot entry that
/// starts rEFInd with <c>-c trial.conf</c> exists, set BootNext to it. The apkgen
/// executable calls <see cref="Arm"/> after every trial commit, with the session still open.
/// </summary>
public static class TrialArming
{
    /// <summary>Arms the trial of the pending generation.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="session">The open session (locked by the commit).</param>
    /// <param name="efi">The firmware's boot variables.</param>
    public static ArmOutcome Arm(SystemContext ctx, Session session, IEfiBoot efi)
    {
        var store = session.Store;
        var state = store.Read();
        // Called after a trial commit, which made pending: without it there is nothing to arm.
        if (state.Pending?.Slots[0] is not { } id)
            throw new InvalidOperationException("trial arming needs a pending generation: the trial commit makes one first");
        var cfg = ctx.Config.Bootcheck;

        // 1. rEFInd stays in its menu, with no timeout and the watchdog off, when a loader or
        //    initrd is missing (BOOT-TESTING): check the very kernel and initramfs trial.conf
        //    boots (one choice, KernelChoice), inside the generation as its own root resolves
        //    them, so that a boot/ link to the host's /boot proves nothing.
        var boots = RefindDiscovery.Boots(state, [id]);
        var files = boots.TryGetValue(id, out var boot) ? KernelChoice.ForTrial(ctx.Config.Refind, boot) : null;
        if (Unbootable(files, new ConfinedRoot(session.Top.RootSubvolumePath(id))) is { } what)
        {
            var reason = $"not bootable: it {what}";
            store.RemovePending();
            store.WriteInfo(store.ReadGeneration(id).Info with { State = BootState.Bad, Reason = reason, StateChanged = ctx.Clock.UtcNow, AttemptsLeft = 0 });
            ctx.Btrfs.SyncFs(session.Top.TopDirPath);
            throw new ApkgenException($"the new generation {id} {what}: it was not armed, and is marked bad",
                "install a kernel in it (apk add linux-lts) and commit again; current is unchanged", ExitCodes.DataError);
        }

        // 2. Without efivars there is no BootNext: behave as counter mode would have.
        string? why = null;
        string? bootNumber = null;
        if (!efi.Available)
            why = "the UEFI variables are not available (no /sys/firmware/efi/efivars: not booted with UEFI, or efivarfs not mounted)";
        else if (ctx.Config.Refind.Output is null)
            why = $"[refind] output is not set, so no {cfg.TrialConfig} is written for rEFInd to start the trial with";
        else
        {
            try
            {
                var (disk, partition) = EspLocation(ctx);
                bootNumber = efi.EnsureEntry(new EfiBootEntry(EfiBootEntry.TrialLabel, disk, partition, cfg.RefindLoader,
                    EfiBootEntry.TrialLoadOptions(cfg.TrialConfig)));
                // 3. One-shot: the firmware deletes BootNext before it boots the entry, so any
                //    failure after that lands in the normal configuration.
                efi.SetBootNext(bootNumber);
            }
            catch (ApkgenException e)
            {
                why = e.Message;
            }
        }
        if (why is not null)
        {
            store.Switch(LayoutLink.Current, state.Pending.Id);
            store.RemovePending();
            ctx.Say($"trial mode cannot arm BootNext: {why}");
            ctx.Say($"falling back to counter mode: {id} is in slot 0, pending, with {store.ReadGeneration(id).Info.AttemptsLeft} boot attempt(s)");
            return ArmOutcome.FellBackToCounter;
        }
        ctx.Say($"armed: the next boot starts rEFInd with -c {cfg.TrialConfig} once (Boot{bootNumber}, BootNext); {id} becomes current when it boots well");
        return ArmOutcome.Armed;
    }

    /// <summary>
    /// Why the trial's entry cannot boot (a phrase after "it"), or null when both its kernel
    /// and its initramfs are non-empty regular files in the generation's <c>/boot</c>. An
    /// entry without an initramfs is refused too: Alpine's kernels mount their root from it.
    /// </summary>
    /// <param name="files">What trial.conf boots (<see cref="KernelChoice.ForTrial"/>); null: no kernel.</param>
    /// <param name="root">The generation's root, paths resolved inside it.</param>
    public static string? Unbootable(BootFiles? files, ISnapshotFiles root)
    {
        if (files is null) return "has no kernel in /boot";
        if (files.Initrd is null) return $"has no initramfs for boot/{files.KernelFile}";
        foreach (var name in (string[])[files.KernelFile, files.Initrd])
            if (root.FileLength("boot/" + name) is not > 0)
                return $"has no boot/{name} (resolved inside the generation), or it is empty";
        return null;
    }

    /// <summary>
    /// The ESP's disk and partition number: [bootcheck] efi_disk and efi_partition, else the
    /// block device mounted where <c>[refind] output</c> lives, as the kernel's block tree places it.
    /// </summary>
    public static (string Disk, int Partition) EspLocation(SystemContext ctx)
    {
        var cfg = ctx.Config.Bootcheck;
        if (cfg.EfiDisk is { } d && cfg.EfiPartition is { } p) return (d, p);
        var output = ctx.Config.Refind.Output
            ?? throw new ApkgenException("the ESP is unknown: neither [bootcheck] efi_disk/efi_partition nor [refind] output is set",
                "set [bootcheck] efi_disk and efi_partition", ExitCodes.Config);
        var mount = MountEntry.Parse(ctx.Mounts.ReadMountInfo())
            .Where(m => output.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.MountPoint.Length).FirstOrDefault();
        var place = mount is not null && mount.Source.StartsWith("/dev/", StringComparison.Ordinal) ? ctx.BlockDevices.PartitionOf(mount.Source) : null;
        if (place is not { } found)
            throw new ApkgenException($"cannot tell the ESP's disk and partition from the mount holding {output}",
                "set [bootcheck] efi_disk and efi_partition", ExitCodes.Config);
        var partition = cfg.EfiPartition ?? found.Partition;
        var disk = cfg.EfiDisk ?? found.Disk;
        return (disk, partition);
    }
}
