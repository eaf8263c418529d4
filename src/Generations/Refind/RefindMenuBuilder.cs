using System.Globalization;
using Apkgen.Generations.Configuration;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Model;

namespace Apkgen.Generations.Refind;

/// <summary>What one generation's <c>/boot</c> holds: its kernels and the file names present.</summary>
/// <param name="Kernels">Flavour and version of each <c>vmlinuz*</c>.</param>
/// <param name="Files">Every file name in <c>/boot</c> (kernels, initramfs, microcode images).</param>
public sealed record GenerationBoot(IReadOnlyList<KernelInfo> Kernels, IReadOnlySet<string> Files);

/// <summary>The values discovered from the system (or set in [refind]) that every entry shares.</summary>
/// <param name="Volume">rEFInd's <c>volume</c>.</param>
/// <param name="Root">The kernel's <c>root=</c> value.</param>
/// <param name="Resume">The kernel's <c>resume=</c> value, or null.</param>
public sealed record RefindTarget(string Volume, string Root, string? Resume);

/// <summary>
/// Decides the menu from the layout: which slot boots which kernel, initramfs and microcode,
/// and what its label says. Pure: what /boot holds comes in as <see cref="GenerationBoot"/>.
/// </summary>
public static class RefindMenuBuilder
{
    /// <summary>Flavours preferred when [refind] flavor is not set, best first.</summary>
    public static readonly IReadOnlyList<string> PreferredFlavors = ["lts", "virt", "stable", "edge"];

    /// <summary>The normal menu: an entry per slot of <c>current</c>.</summary>
    /// <exception cref="ApkgenException">Slot 0 is broken or has no kernel.</exception>
    public static RefindMenu Build(RefindSection settings, RefindTarget target, LayoutState state,
        IReadOnlyDictionary<string, GenerationBoot> boots)
    {
        var entries = new List<RefindEntry>();
        var skipped = new List<string>();
        var preferred = PreferredFlavor(settings, state.Current.Slots.Count > 0 ? state.Current.Slots[0] : null, boots);
        var lastGoodSeen = false;
        for (var slot = 0; slot < state.Current.Slots.Count; slot++)
        {
            var id = state.Current.Slots[slot];
            var generation = id is null ? null : state.Find(id);
            var boot = id is not null && boots.TryGetValue(id, out var b) ? b : null;
            var kernel = boot is null ? null : ChooseKernel(boot, preferred);
            if (generation is null || boot is null || kernel is null)
            {
                var why = generation is null ? "its link names no generation" : "its generation has no kernel in /boot";
                if (slot == 0)
                    throw new ApkgenException($"slot 0 of current cannot boot: {why}",
                        "repair the layout (apkgen status shows it) before writing rEFInd entries", ExitCodes.DataError);
                skipped.Add($"slot {slot}{(id is null ? "" : $" ({id})")}: no entry, {why}");
                continue;
            }
            var stateWord = generation.State switch
            {
                BootState.Pending => "pending",
                BootState.Bad => "bad",
                _ when !lastGoodSeen => "last good",
                _ => "good",
            };
            if (generation.State == BootState.Good) lastGoodSeen = true;
            var prefix = slot == 0 ? settings.Title + "," : $"Slot {slot}:";
            entries.Add(Entry(settings, target, "current", slot, generation, boot, kernel.Value, $"{prefix} {Describe(generation, kernel.Value, stateWord)}"));
        }
        return new RefindMenu(target.Volume, settings.Icon, entries, skipped);
    }

    /// <summary>Trial mode's entry: <c>/pending/0/@</c>, or null when nothing is pending.</summary>
    public static RefindEntry? BuildTrial(RefindSection settings, RefindTarget target, LayoutState state,
        IReadOnlyDictionary<string, GenerationBoot> boots)
    {
        if (state.Pending is not { Slots: [{ } id, ..] }) return null;
        if (state.Find(id) is not { } generation || !boots.TryGetValue(id, out var boot)
            || ChooseKernel(boot, PreferredFlavor(settings, id, boots)) is not { } kernel)
            throw new ApkgenException($"the pending generation {id} has no kernel in /boot",
                "discard it (apkgen rollback) or install a kernel in it", ExitCodes.DataError);
        return Entry(settings, target, "pending", 0, generation, boot, kernel,
            $"{settings.Title} trial, {Describe(generation, kernel, "pending")}");
    }

    static RefindEntry Entry(RefindSection settings, RefindTarget target, string link, int slot, Generation generation,
        GenerationBoot boot, KernelInfo kernel, string label)
    {
        var kernelFile = kernel.Flavor.Length == 0 ? "vmlinuz" : "vmlinuz-" + kernel.Flavor;
        var microcode = settings.Microcode.Where(boot.Files.Contains).ToList();
        return new RefindEntry(label, link, slot, kernelFile, Initrd(boot, kernel), microcode,
            target.Root, settings.RootFlags, target.Resume, settings.Options);
    }

    /// <summary>
    /// The initramfs that goes with a kernel: Alpine's <c>initramfs-FLAVOR</c>; for a bare
    /// <c>vmlinuz</c> <c>initramfs</c> or <c>initrd.img</c>; Debian's <c>initrd.img-VERSION</c>.
    /// </summary>
    public static string? Initrd(GenerationBoot boot, KernelInfo kernel)
    {
        string[] candidates = kernel.Flavor.Length == 0
            ? ["initramfs", "initrd.img", "initrd"]
            : ["initramfs-" + kernel.Flavor, "initrd.img-" + kernel.Flavor];
        return candidates.FirstOrDefault(boot.Files.Contains);
    }

    static string? PreferredFlavor(RefindSection settings, string? slot0, IReadOnlyDictionary<string, GenerationBoot> boots)
    {
        if (settings.Flavor is { } configured) return configured == "-" ? "" : configured;
        return slot0 is not null && boots.TryGetValue(slot0, out var b) ? Rank(b.Kernels).Select(k => (string?)k.Flavor).FirstOrDefault() : null;
    }

    /// <summary>The preferred flavour when the generation has it, else its own best kernel.</summary>
    static KernelInfo? ChooseKernel(GenerationBoot boot, string? preferred)
    {
        foreach (var k in boot.Kernels)
            if (k.Flavor == preferred) return k;
        return Rank(boot.Kernels).Select(k => (KernelInfo?)k).FirstOrDefault();
    }

    static IEnumerable<KernelInfo> Rank(IEnumerable<KernelInfo> kernels) =>
        kernels.OrderBy(k => PreferredFlavors.IndexOf(k.Flavor) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(k => k.Flavor, StringComparer.Ordinal);

    static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <summary>Date, kernel, state and what made it: <c>2026-11-25 18:20, lts 6.12.1-r0, pending: apk add nginx</c>.</summary>
    public static string Describe(Generation generation, KernelInfo kernel, string stateWord)
    {
        var created = generation.Info.Created ?? GenerationId.CreatedAt(generation.Id);
        var date = created?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? generation.Id;
        var kernelText = kernel.Flavor.Length == 0 ? "kernel" : kernel.Flavor;
        if (kernel.Version is { Length: > 0 } v && v != "unknown") kernelText += " " + v;
        var what = generation.HasMetadata ? generation.Info.Describe() : "made by hand";
        const int max = 48;
        if (what.Length > max) what = what[..(max - 3)] + "...";
        return RefindConfig.SafeLabel($"{date}, {kernelText}, {stateWord}: {what}");
    }
}
