using Apkgen.Core.Edge;
using Apkgen.Core.Layout;

namespace Apkgen.Core.Space;

/// <summary>Where the exclusive sizes come from.</summary>
public enum SizeSource
{
    /// <summary>btrfs qgroups (quotas enabled): the kernel's exclusive bytes, data and metadata.</summary>
    Quota,
    /// <summary>btrfs qgroups that btrfs itself marks inconsistent (a rescan is due): an estimate.</summary>
    QuotaInconsistent,
    /// <summary>No quotas: the data extents FIEMAP reports unshared, as <c>btrfs filesystem du</c> does.</summary>
    Estimate,
}

/// <summary>
/// What each generation holds exclusively: the bytes deleting it alone would free. Computed
/// only on request (list --sizes, gc --sizes, a refused change): without quotas it reads
/// every file's extents.
/// </summary>
public sealed record GenerationSizes(IReadOnlyDictionary<string, long> Exclusive, SizeSource Source)
{
    /// <summary>One line saying how the sizes were found, and that they are an estimate when they are.</summary>
    public string SourceNote => Source switch
    {
        SizeSource.Quota => "exclusive sizes from btrfs qgroups",
        SizeSource.QuotaInconsistent => "exclusive sizes from btrfs qgroups, which btrfs marks inconsistent: an estimate until 'btrfs quota rescan' runs",
        _ => "exclusive sizes are an estimate (quotas are off): the file data no other subvolume shares, as 'btrfs filesystem du' counts it, without metadata",
    };

    /// <summary>
    /// What deleting all of <paramref name="ids"/> frees, at least: the sum of their exclusive
    /// sizes. Data shared only among them is exclusive to none, so the real figure can be higher.
    /// </summary>
    public long Total(IEnumerable<string> ids) => ids.Sum(id => Exclusive.GetValueOrDefault(id));

    /// <summary>Measures the generations' root subvolumes (those that have one).</summary>
    public static GenerationSizes Measure(IBtrfs btrfs, IBtrfsSpace space, TopLevel top, IEnumerable<string> ids)
    {
        var roots = ids.Select(id => (Id: id, Root: top.RootSubvolumePath(id))).Where(x => btrfs.IsSubvolume(x.Root)).ToList();
        var quota = space.QuotaExclusive(top.TopDirPath);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (quota is not null)
        {
            foreach (var (id, root) in roots)
                sizes[id] = quota.ExclusiveBySubvolume.GetValueOrDefault(space.SubvolumeId(root));
            return new GenerationSizes(sizes, quota.Consistent ? SizeSource.Quota : SizeSource.QuotaInconsistent);
        }
        foreach (var (id, root) in roots)
            sizes[id] = space.UnsharedDataBytes(root);
        return new GenerationSizes(sizes, SizeSource.Estimate);
    }
}
