using Apkgen.Core.Edge;
using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>
/// What <see cref="RebootRequired"/> compares of one generation: its installed packages, the
/// OpenRC service scripts each package owns, and the kernels in its <c>/boot</c>.
/// </summary>
/// <param name="Installed">Name to version, from <c>lib/apk/db/installed</c>.</param>
/// <param name="InitScripts">Package to the files it owns in <c>etc/init.d</c>.</param>
/// <param name="Kernels">The kernels of its <c>/boot</c> (<see cref="Linux.SnapshotContents.DiscoverKernels(ISnapshotFiles, IReadOnlyDictionary{string, string})"/>).</param>
public sealed record GenerationContents(
    IReadOnlyDictionary<string, string> Installed,
    IReadOnlyDictionary<string, SortedSet<string>> InitScripts,
    IReadOnlyList<KernelInfo> Kernels)
{
    /// <summary>Parses the installed database's text (null: no database) with the kernels found.</summary>
    public static GenerationContents Parse(string? installedText, IReadOnlyList<KernelInfo> kernels)
    {
        var text = installedText ?? "";
        return new(PackageDb.ParseInstalled(text), InstalledFiles.In(text, InstalledFiles.InitScriptsDir), kernels);
    }

    /// <summary>Reads a generation's root, every path resolved inside it.</summary>
    public static GenerationContents Read(ISnapshotFiles root)
    {
        var text = root.ReadText(PackageDb.InstalledPath);
        var contents = Parse(text, []);
        return contents with { Kernels = Linux.SnapshotContents.DiscoverKernels(root, contents.Installed) };
    }
}
