namespace Apkgen.Core.Refind;

/// <summary>One bootable slot: the files under <c>/LINK/SLOT/@/boot/</c> and the kernel options.</summary>
/// <param name="Label">What the menu shows (rEFInd-safe: printable ASCII, no double quote).</param>
/// <param name="Link"><c>current</c>, or <c>pending</c> for trial mode's entry.</param>
/// <param name="Slot">The slot number inside the links directory.</param>
/// <param name="Kernel">File name of the kernel in the generation's /boot, e.g. <c>vmlinuz-lts</c>.</param>
/// <param name="Initrd">File name of the initramfs, or null when the generation has none.</param>
/// <param name="Microcode">Microcode image file names, loaded before the initramfs.</param>
/// <param name="Root">The <c>root=</c> value, e.g. <c>UUID=...</c>.</param>
/// <param name="RootFlags">Mount options after <c>subvol=</c>.</param>
/// <param name="Resume">The <c>resume=</c> value, or null.</param>
/// <param name="ExtraOptions">Further kernel options, or empty.</param>
public sealed record RefindEntry(
    string Label, string Link, int Slot, string Kernel, string? Initrd, IReadOnlyList<string> Microcode,
    string Root, string RootFlags, string? Resume, string ExtraOptions)
{
    /// <summary>The slot's root subvolume as the kernel and rEFInd's btrfs driver see it: <c>/current/0/@</c>.</summary>
    public string SubvolumePath => $"/{Link}/{Slot}/@";
}
