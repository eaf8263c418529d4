using Apkgen.Generations.Layout;
using Apkgen.Generations.Model;
using Apkgen.Generations.Transactions;

namespace Apkgen.Generations.Boot;

/// <summary>How arming a trial ended.</summary>
public enum ArmOutcome
{
    /// <summary>Nothing is pending: nothing to arm.</summary>
    NothingPending,
    /// <summary>BootNext points at the trial entry: the next boot tries <c>pending</c> once.</summary>
    Armed,
    /// <summary>No UEFI (or no usable entry): <c>pending</c> became <c>current</c>, counted as in counter mode.</summary>
    FellBackToCounter,
}

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
    /// <param name="bootFiles">Paths relative to the trial root (<c>/pending/0/@</c>) that rEFInd's trial entry loads; null: <see cref="DefaultBootFiles"/>.</param>
    public static ArmOutcome Arm(SystemContext ctx, Session session, IEfiBoot efi, IReadOnlyList<string>? bootFiles = null)
    {
        var store = session.Store;
        var state = store.Read();
        if (state.Pending?.Slots[0] is not { } id) return ArmOutcome.NothingPending;
        var cfg = ctx.Config.Bootcheck;

        // 1. rEFInd stays in its menu, with no timeout and the watchdog off, when a loader or
        //    initrd is missing (BOOT-TESTING): check through the same symlinks it follows.
        var trialRoot = Path.Combine(session.Top.TopDirPath, "pending", "0", "@");
        var files = bootFiles ?? DefaultBootFiles(trialRoot, flavor: null);
        var missing = files.FirstOrDefault(f => !(new FileInfo(Path.Combine(trialRoot, f)) is { Exists: true, Length: > 0 }));
        if (files.Count == 0 || missing is not null)
        {
            var what = missing is null ? "has no kernel in /boot" : $"has no {missing} (through /pending/0/@)";
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
            store.Switch("current", state.Pending.Id);
            store.RemovePending();
            ctx.Say($"trial mode cannot arm BootNext: {why}");
            ctx.Say($"falling back to counter mode: {id} is in slot 0, pending, with {store.ReadGeneration(id).Info.AttemptsLeft} boot attempt(s)");
            return ArmOutcome.FellBackToCounter;
        }
        ctx.Say($"armed: the next boot starts rEFInd with -c {cfg.TrialConfig} once (Boot{bootNumber}, BootNext); {id} becomes current when it boots well");
        return ArmOutcome.Armed;
    }

    /// <summary>
    /// The files a trial entry loads, relative to the generation's root: the kernel of the
    /// flavour rEFInd boots (the given one, else lts, else virt, else the first found) and
    /// its initramfs if the generation has one (Alpine's <c>initramfs-FLAVOR</c>, Debian's <c>initrd.img-FLAVOR</c>; a bare
    /// <c>vmlinuz</c> goes with <c>initramfs</c>, <c>initrd.img</c> or <c>initrd</c>).
    /// </summary>
    public static IReadOnlyList<string> DefaultBootFiles(string rootPath, string? flavor)
    {
        var kernels = KernelInfo.Discover(rootPath, new Dictionary<string, string>());
        if (kernels.Count == 0) return [];
        KernelInfo? Pick(string? name) => kernels.Any(x => x.Flavor == name) ? kernels.First(x => x.Flavor == name) : null;
        var k = (flavor is null ? null : Pick(flavor)) ?? Pick("lts") ?? Pick("virt") ?? kernels[0];
        var kernel = k.Flavor.Length == 0 ? "boot/vmlinuz" : "boot/vmlinuz-" + k.Flavor;
        string[] candidates = k.Flavor.Length == 0 ? ["boot/initramfs", "boot/initrd.img", "boot/initrd"] : ["boot/initramfs-" + k.Flavor, "boot/initrd.img-" + k.Flavor];
        var initrd = candidates.FirstOrDefault(c => File.Exists(Path.Combine(rootPath, c)) || new FileInfo(Path.Combine(rootPath, c)).LinkTarget is not null);
        return initrd is null ? [kernel] : [kernel, initrd];
    }

    /// <summary>
    /// The ESP's disk and partition number: [bootcheck] efi_disk and efi_partition, else the
    /// block device mounted where <c>[refind] output</c> lives, from /sys/class/block.
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
        var name = mount is not null && mount.Source.StartsWith("/dev/", StringComparison.Ordinal) ? Path.GetFileName(mount.Source) : null;
        var sys = name is null ? null : Path.Combine("/sys/class/block", name);
        if (sys is null || !File.Exists(Path.Combine(sys, "partition")))
            throw new ApkgenException($"cannot tell the ESP's disk and partition from the mount holding {output}",
                "set [bootcheck] efi_disk and efi_partition", ExitCodes.Config);
        var partition = cfg.EfiPartition ?? int.Parse(File.ReadAllText(Path.Combine(sys, "partition")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // /sys/class/block/sda1 -> ../../devices/.../block/sda/sda1: the parent is the disk.
        var real = new DirectoryInfo(sys).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? sys;
        var disk = cfg.EfiDisk ?? "/dev/" + Path.GetFileName(Path.GetDirectoryName(real));
        return (disk, partition);
    }
}
