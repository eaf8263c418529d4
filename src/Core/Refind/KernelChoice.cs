using Apkgen.Core.Configuration;
using Apkgen.Core.Model;

namespace Apkgen.Core.Refind;

/// <summary>
/// Which kernel (and so which initramfs) a generation boots. One decision for the menu
/// (<see cref="RefindMenuBuilder"/>) and for trial arming: arming checked the lts, else virt,
/// else first kernel with no regard for <c>[refind] flavor</c> while trial.conf booted by it,
/// so it could pass a generation whose trial entry then hung rEFInd (issue 14). Pure.
/// </summary>
public static class KernelChoice
{
    /// <summary>Flavours preferred when [refind] flavor is not set, best first.</summary>
    public static readonly IReadOnlyList<string> PreferredFlavors = ["lts", "virt", "stable", "edge"];

    /// <summary>The kernel's file name in <c>/boot</c> for a flavour ("" is a bare <c>vmlinuz</c>).</summary>
    public static string KernelFileName(string flavor) => flavor.Length == 0 ? "vmlinuz" : "vmlinuz-" + flavor;

    /// <summary>
    /// The flavour every entry should boot: <c>[refind] flavor</c> (<c>-</c> names the bare
    /// <c>vmlinuz</c>), else the best of <paramref name="reference"/>'s kernels (slot 0's for
    /// the menu, the trial generation's own for trial.conf); null when neither says.
    /// </summary>
    public static string? PreferredFlavor(RefindSection settings, GenerationBoot? reference)
    {
        if (settings.Flavor is { } configured) return configured == "-" ? "" : configured;
        return reference is null ? null : Rank(reference.Kernels).Select(k => (string?)k.Flavor).FirstOrDefault();
    }

    /// <summary>The preferred flavour when the generation has it, else its own best kernel; null when it has none.</summary>
    public static BootFiles? Choose(GenerationBoot boot, string? preferred)
    {
        KernelInfo? kernel = null;
        foreach (var k in boot.Kernels)
            if (k.Flavor == preferred) { kernel = k; break; }
        kernel ??= Rank(boot.Kernels).Select(k => (KernelInfo?)k).FirstOrDefault();
        return kernel is { } chosen ? new BootFiles(chosen, Initrd(boot, chosen)) : null;
    }

    /// <summary>What trial.conf's entry boots for the generation with <paramref name="boot"/>.</summary>
    public static BootFiles? ForTrial(RefindSection settings, GenerationBoot boot) =>
        Choose(boot, PreferredFlavor(settings, boot));

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

    static IEnumerable<KernelInfo> Rank(IEnumerable<KernelInfo> kernels) =>
        kernels.OrderBy(k => IndexOf(PreferredFlavors, k.Flavor) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(k => k.Flavor, StringComparer.Ordinal);

    static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
