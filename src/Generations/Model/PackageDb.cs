using Apkgen.Generations.Edge;
using Apkgen.Generations.Linux;

namespace Apkgen.Generations.Model;

/// <summary>
/// Reads apk's database files as apk-tools writes them: <c>lib/apk/db/installed</c> is a
/// sequence of blank-line separated records of <c>X:value</c> lines (<c>P:</c> name,
/// <c>V:</c> version), and <c>etc/apk/world</c> is whitespace-separated dependency strings.
/// </summary>
public static class PackageDb
{
    /// <summary>Path of the installed database, relative to a root.</summary>
    public const string InstalledPath = "lib/apk/db/installed";
    /// <summary>Path of the world file, relative to a root.</summary>
    public const string WorldPath = "etc/apk/world";

    /// <summary>Name to version for every installed package.</summary>
    public static Dictionary<string, string> ParseInstalled(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null, version = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                Flush();
                continue;
            }
            if (line.Length >= 2 && line[1] == ':')
            {
                if (line[0] == 'P') name = line[2..].ToString();
                else if (line[0] == 'V') version = line[2..].ToString();
            }
        }
        Flush();
        return result;

        void Flush()
        {
            if (name is not null && version is not null)
                result[name] = version;
            name = version = null;
        }
    }

    /// <summary>The world's dependency strings, sorted.</summary>
    public static SortedSet<string> ParseWorld(string text) =>
        new(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    /// <summary>Reads the installed set under a root (resolved inside it); empty when the file is missing.</summary>
    public static Dictionary<string, string> ReadInstalled(string rootPath) => ReadInstalled(new ConfinedRoot(rootPath));

    /// <summary>Reads the installed set of a tree; empty when the file is missing.</summary>
    public static Dictionary<string, string> ReadInstalled(ISnapshotFiles root) =>
        root.ReadText(InstalledPath) is { } text ? ParseInstalled(text) : new(StringComparer.Ordinal);

    /// <summary>Reads the world under a root (resolved inside it); empty when the file is missing.</summary>
    public static SortedSet<string> ReadWorld(string rootPath) => ReadWorld(new ConfinedRoot(rootPath));

    /// <summary>Reads the world of a tree; empty when the file is missing.</summary>
    public static SortedSet<string> ReadWorld(ISnapshotFiles root) =>
        root.ReadText(WorldPath) is { } text ? ParseWorld(text) : new(StringComparer.Ordinal);
}

/// <summary>A kernel found in a generation's <c>/boot</c>: flavour (from <c>vmlinuz-FLAVOR</c>) and version.</summary>
public readonly record struct KernelInfo(string Flavor, string Version)
{
    /// <summary>
    /// Kernels of a root: every <c>boot/vmlinuz-FLAVOR</c>; the version is that of the
    /// installed package <c>linux-FLAVOR</c> when there is one (Alpine's naming), else the
    /// <c>lib/modules/VERSION</c> directory ending in <c>-FLAVOR</c>, else "unknown".
    /// A bare <c>boot/vmlinuz</c> gets the flavour "" (other distributions, the boot tests).
    /// </summary>
    public static List<KernelInfo> Discover(string rootPath, IReadOnlyDictionary<string, string> installed) =>
        Discover(new ConfinedRoot(rootPath), installed);

    /// <summary><see cref="Discover(string, IReadOnlyDictionary{string, string})"/> of a tree, every path resolved inside it.</summary>
    public static List<KernelInfo> Discover(ISnapshotFiles root, IReadOnlyDictionary<string, string> installed)
    {
        if (!root.DirectoryExists("boot")) return [];
        var modules = root.ListNames("lib/modules").Where(m => root.DirectoryExists("lib/modules/" + m)).ToArray();
        return FromNames(root.ListNames("boot"), modules, installed);
    }

    /// <summary>The kernels named by the entries of boot/ and lib/modules/ (pure).</summary>
    public static List<KernelInfo> FromNames(IEnumerable<string> bootNames, IReadOnlyList<string> modules, IReadOnlyDictionary<string, string> installed)
    {
        var kernels = new List<KernelInfo>();
        foreach (var name in bootNames)
        {
            var flavor = name == "vmlinuz" ? "" : name.StartsWith("vmlinuz-", StringComparison.Ordinal) ? name[8..] : null;
            if (flavor is null) continue;
            var version = installed.TryGetValue("linux-" + flavor, out var v) ? v
                : modules.FirstOrDefault(m => flavor.Length > 0 && m.EndsWith("-" + flavor, StringComparison.Ordinal))
                  ?? (modules.Count == 1 ? modules[0] : "unknown");
            kernels.Add(new(flavor, version));
        }
        kernels.Sort((a, b) => string.CompareOrdinal(a.Flavor, b.Flavor));
        return kernels;
    }
}
