namespace Apkgen.Core.Refind;

/// <summary>
/// What the stanza file says, already decided: one <see cref="RefindMenu"/> becomes one
/// <c>menuentry</c> whose first <see cref="Entries"/> item is the entry itself and the rest
/// its <c>submenuentry</c>s. Built by <see cref="RefindMenuBuilder"/>, rendered by
/// <see cref="RefindConfText.Render"/>.
/// </summary>
/// <param name="Volume">rEFInd's <c>volume</c>: GPT partition name, filesystem label or PARTUUID.</param>
/// <param name="Icon">Icon path on rEFInd's own volume, or null.</param>
/// <param name="Entries">Slot 0 first, then the fallbacks in slot order.</param>
/// <param name="Skipped">Comments for slots that got no entry (no kernel in their /boot).</param>
public sealed record RefindMenu(string Volume, string? Icon, IReadOnlyList<RefindEntry> Entries, IReadOnlyList<string> Skipped);
