using Apkgen.Core.Edge;

namespace Apkgen.Core.Model;

/// <summary>A kernel found in a generation's <c>/boot</c>: flavour (from <c>vmlinuz-FLAVOR</c>) and version.</summary>
public readonly record struct KernelInfo(string Flavor, string Version)
{
    /// <summary>
    /// The kernels named by the entries of boot/ and lib/modules/ (pure; reading them is
    /// <see cref="Linux.SnapshotContents.DiscoverKernels(ISnapshotFiles, IReadOnlyDictionary{string, string})"/>'s):
    /// every <c>vmlinuz-FLAVOR</c>; the version is that of the installed package
    /// <c>linux-FLAVOR</c> when there is one (Alpine's naming), else the <c>lib/modules/VERSION</c>
    /// directory ending in <c>-FLAVOR</c>, else "unknown". A bare <c>vmlinuz</c> gets the
    /// flavour "" (other distributions, the boot tests).
    /// </summary>
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
