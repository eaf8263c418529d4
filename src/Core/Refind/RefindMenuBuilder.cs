using System.Globalization;
using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;

namespace Apkgen.Core.Refind;

/// <summary>
/// Decides the menu from the layout: which slot boots which kernel, initramfs and microcode,
/// and what its label says. Pure: what /boot holds comes in as <see cref="GenerationBoot"/>.
/// </summary>
public static class RefindMenuBuilder
{
    /// <summary>The normal menu: an entry per slot of <c>current</c>.</summary>
    /// <exception cref="ApkgenException">Slot 0 is broken or has no kernel.</exception>
    public static RefindMenu Build(RefindSection settings, RefindTarget target, LayoutState state,
        IReadOnlyDictionary<string, GenerationBoot> boots)
    {
        var entries = new List<RefindEntry>();
        var skipped = new List<string>();
        var slot0 = state.Current.Slots.Count > 0 && state.Current.Slots[0] is { } first && boots.TryGetValue(first, out var b0) ? b0 : null;
        var preferred = KernelChoice.PreferredFlavor(settings, slot0);
        var lastGoodSeen = false;
        for (var slot = 0; slot < state.Current.Slots.Count; slot++)
        {
            var id = state.Current.Slots[slot];
            var generation = id is null ? null : state.Find(id);
            var boot = id is not null && boots.TryGetValue(id, out var b) ? b : null;
            var files = boot is null ? null : KernelChoice.Choose(boot, preferred);
            if (generation is null || boot is null || files is null)
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
            entries.Add(Entry(settings, target, "current", slot, boot, files, $"{prefix} {Describe(generation, files.Kernel, stateWord)}"));
        }
        return new RefindMenu(target.Volume, settings.Icon, entries, skipped);
    }

    /// <summary>Trial mode's entry: <c>/pending/0/@</c>, or null when nothing is pending.</summary>
    public static RefindEntry? BuildTrial(RefindSection settings, RefindTarget target, LayoutState state,
        IReadOnlyDictionary<string, GenerationBoot> boots)
    {
        if (state.Pending is not { Slots: [{ } id, ..] }) return null;
        if (state.Find(id) is not { } generation || !boots.TryGetValue(id, out var boot)
            || KernelChoice.ForTrial(settings, boot) is not { } files)
            throw new ApkgenException($"the pending generation {id} has no kernel in /boot",
                "discard it (apkgen rollback) or install a kernel in it", ExitCodes.DataError);
        return Entry(settings, target, "pending", 0, boot, files,
            $"{settings.Title} trial, {Describe(generation, files.Kernel, "pending")}");
    }

    static RefindEntry Entry(RefindSection settings, RefindTarget target, string link, int slot,
        GenerationBoot boot, BootFiles files, string label)
    {
        var microcode = settings.Microcode.Where(boot.Files.Contains).ToList();
        return new RefindEntry(label, link, slot, files.KernelFile, files.Initrd, microcode,
            target.Root, settings.RootFlags, target.Resume, settings.Options);
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
        return RefindConfText.SafeLabel($"{date}, {kernelText}, {stateWord}: {what}");
    }
}
