using Apkgen.Core.Model;

namespace Apkgen.Core.Transactions;

/// <summary>
/// A change's effect on apk's database: package changes, world entries added and removed,
/// and the installed packages after it.
/// </summary>
public sealed record PackageDelta(PackageChanges Changes, IReadOnlyList<string> WorldAdded, IReadOnlyList<string> WorldRemoved,
    IReadOnlyDictionary<string, string> Installed)
{
    /// <summary>True if apk changed no package and no world entry (e.g. nothing to upgrade).</summary>
    public bool IsEmpty => Changes.IsEmpty && WorldAdded.Count == 0 && WorldRemoved.Count == 0;
}
