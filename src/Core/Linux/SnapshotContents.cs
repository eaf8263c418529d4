using Apkgen.Core.Edge;
using Apkgen.Core.Model;

namespace Apkgen.Core.Linux;

/// <summary>
/// Reads what a root holds (apk's installed database and world, the kernels in /boot), every
/// path resolved inside the root (<see cref="ConfinedRoot"/>), and parses it with the model's
/// pure parsers (<see cref="PackageDb"/>, <see cref="KernelInfo.FromNames"/>).
/// </summary>
public static class SnapshotContents
{
    /// <summary>Reads the installed set under a root (resolved inside it); empty when the file is missing.</summary>
    public static Dictionary<string, string> ReadInstalled(string rootPath) => ReadInstalled(new ConfinedRoot(rootPath));

    /// <summary>Reads the installed set of a tree; empty when the file is missing.</summary>
    public static Dictionary<string, string> ReadInstalled(ISnapshotFiles root) =>
        root.ReadText(PackageDb.InstalledPath) is { } text ? PackageDb.ParseInstalled(text) : new(StringComparer.Ordinal);

    /// <summary>Reads the world under a root (resolved inside it); empty when the file is missing.</summary>
    public static SortedSet<string> ReadWorld(string rootPath) => ReadWorld(new ConfinedRoot(rootPath));

    /// <summary>Reads the world of a tree; empty when the file is missing.</summary>
    public static SortedSet<string> ReadWorld(ISnapshotFiles root) =>
        root.ReadText(PackageDb.WorldPath) is { } text ? PackageDb.ParseWorld(text) : new(StringComparer.Ordinal);

    /// <summary>
    /// The kernels of a root: every <c>boot/vmlinuz-FLAVOR</c>; the version is that of the
    /// installed package <c>linux-FLAVOR</c> when there is one (Alpine's naming), else the
    /// <c>lib/modules/VERSION</c> directory ending in <c>-FLAVOR</c>, else "unknown".
    /// A bare <c>boot/vmlinuz</c> gets the flavour "" (other distributions, the boot tests).
    /// </summary>
    public static List<KernelInfo> DiscoverKernels(string rootPath, IReadOnlyDictionary<string, string> installed) =>
        DiscoverKernels(new ConfinedRoot(rootPath), installed);

    /// <summary><see cref="DiscoverKernels(string, IReadOnlyDictionary{string, string})"/> of a tree, every path resolved inside it.</summary>
    public static List<KernelInfo> DiscoverKernels(ISnapshotFiles root, IReadOnlyDictionary<string, string> installed)
    {
        if (!root.DirectoryExists("boot")) return [];
        var modules = root.ListNames("lib/modules").Where(m => root.DirectoryExists("lib/modules/" + m)).ToArray();
        return KernelInfo.FromNames(root.ListNames("boot"), modules, installed);
    }
}
