namespace Apkgen.Core.Refind;

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
public sealed record RefindTrialConf(int Timeout, string Volume, string? Icon, RefindEntry? Trial, string IncludePath);
