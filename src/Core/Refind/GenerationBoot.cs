using Apkgen.Core.Model;

namespace Apkgen.Core.Refind;

/// <summary>What one generation's <c>/boot</c> holds: its kernels and the file names present.</summary>
/// <param name="Kernels">Flavour and version of each <c>vmlinuz*</c>.</param>
/// <param name="Files">Every file name in <c>/boot</c> (kernels, initramfs, microcode images).</param>
public sealed record GenerationBoot(IReadOnlyList<KernelInfo> Kernels, IReadOnlySet<string> Files);

