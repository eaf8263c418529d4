using Apkgen.Core.Model;

namespace Apkgen.Core.Refind;

/// <summary>
/// The kernel and initramfs one generation boots: what its rEFInd entry loads and what trial
/// arming checks before it sets BootNext. Names are relative to the generation's <c>/boot</c>.
/// </summary>
/// <param name="Kernel">The kernel chosen (flavour and version).</param>
/// <param name="Initrd">Its initramfs in <c>/boot</c>, or null when the generation has none for it.</param>
public sealed record BootFiles(KernelInfo Kernel, string? Initrd)
{
    /// <summary>The kernel's file name in <c>/boot</c>: <c>vmlinuz-FLAVOR</c>, or <c>vmlinuz</c> for the flavour "".</summary>
    public string KernelFile => KernelChoice.KernelFileName(Kernel.Flavor);
}
