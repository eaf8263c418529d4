namespace Apkgen.Core.Model;

/// <summary>What differs between the installed databases of two generations.</summary>
public sealed record PackageChanges(
    IReadOnlyList<Package> Added,
    IReadOnlyList<Package> Removed,
    IReadOnlyList<VersionChange> Upgraded,
    IReadOnlyList<VersionChange> Downgraded)
{
    /// <summary>No change.</summary>
    public static readonly PackageChanges None = new([], [], [], []);

    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Upgraded.Count == 0 && Downgraded.Count == 0;

    /// <summary>Compares two installed sets (name to version).</summary>
    public static PackageChanges Between(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var added = new List<Package>();
        var removed = new List<Package>();
        var up = new List<VersionChange>();
        var down = new List<VersionChange>();
        foreach (var (name, version) in after)
        {
            if (!before.TryGetValue(name, out var old))
                added.Add(new(name, version));
            else if (old != version)
            {
                var cmp = ApkVersion.Compare(old, version);
                // Equal by apk's order but spelled differently (e.g. 1.0 vs 1.00): call it an upgrade.
                (cmp > 0 ? down : up).Add(new(name, old, version));
            }
        }
        foreach (var (name, version) in before)
            if (!after.ContainsKey(name))
                removed.Add(new(name, version));
        static int ByName<T>(T a, T b, Func<T, string> n) => string.CompareOrdinal(n(a), n(b));
        added.Sort((a, b) => ByName(a, b, p => p.Name));
        removed.Sort((a, b) => ByName(a, b, p => p.Name));
        up.Sort((a, b) => ByName(a, b, p => p.Name));
        down.Sort((a, b) => ByName(a, b, p => p.Name));
        return new(added, removed, up, down);
    }

    /// <summary>A one-line summary such as <c>+2 -1 ^3 v0</c> for lists and menus.</summary>
    public string Summary()
    {
        if (IsEmpty) return "no package changes";
        var parts = new List<string>(4);
        if (Added.Count > 0) parts.Add($"{Added.Count} added");
        if (Removed.Count > 0) parts.Add($"{Removed.Count} removed");
        if (Upgraded.Count > 0) parts.Add($"{Upgraded.Count} upgraded");
        if (Downgraded.Count > 0) parts.Add($"{Downgraded.Count} downgraded");
        return string.Join(", ", parts);
    }
}
