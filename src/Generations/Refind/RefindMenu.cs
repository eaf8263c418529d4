namespace Apkgen.Generations.Refind;

/// <summary>
/// What the stanza file says, already decided: one <see cref="RefindMenu"/> becomes one
/// <c>menuentry</c> whose first <see cref="Entries"/> item is the entry itself and the rest
/// its <c>submenuentry</c>s. Built by <see cref="RefindMenuBuilder"/>, rendered by
/// <see cref="RefindConfig.Render"/>.
/// </summary>
/// <param name="Volume">rEFInd's <c>volume</c>: GPT partition name, filesystem label or PARTUUID.</param>
/// <param name="Icon">Icon path on rEFInd's own volume, or null.</param>
/// <param name="Entries">Slot 0 first, then the fallbacks in slot order.</param>
/// <param name="Skipped">Comments for slots that got no entry (no kernel in their /boot).</param>
public sealed record RefindMenu(string Volume, string? Icon, IReadOnlyList<RefindEntry> Entries, IReadOnlyList<string> Skipped);

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

/// <summary>
/// trial.conf: a main configuration of its own (rEFInd reads only the <c>-c</c> file, and
/// <c>include</c> works only there), whose default boots the pending generation and which
/// includes the normal stanza file after it.
/// </summary>
/// <param name="Timeout">Seconds before the default boots.</param>
/// <param name="Volume">As in <see cref="RefindMenu.Volume"/>.</param>
/// <param name="Icon">As in <see cref="RefindMenu.Icon"/>.</param>
/// <param name="Trial">The entry for <c>/pending/0/@</c>, or null when nothing is pending.</param>
/// <param name="IncludePath">The normal stanza file, relative to rEFInd's directory.</param>
public sealed record RefindTrialConfig(int Timeout, string Volume, string? Icon, RefindEntry? Trial, string IncludePath);
