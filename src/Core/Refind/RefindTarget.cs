namespace Apkgen.Core.Refind;

/// <summary>The values discovered from the system (or set in [refind]) that every entry shares.</summary>
/// <param name="Volume">rEFInd's <c>volume</c>.</param>
/// <param name="Root">The kernel's <c>root=</c> value.</param>
/// <param name="Resume">The kernel's <c>resume=</c> value, or null.</param>
public sealed record RefindTarget(string Volume, string Root, string? Resume);

