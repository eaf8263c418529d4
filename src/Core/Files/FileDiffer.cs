using Apkgen.Core.Edge;

namespace Apkgen.Core.Files;

/// <summary>
/// <c>apkgen diff --files</c>: decides how to find the candidates (<see cref="FileDiffPlanner.Choose"/>),
/// asks btrfs for them, and compares through the two trees; a refused ioctl walks instead.
/// </summary>
public static class FileDiffer
{
    /// <summary>The differences from the first generation's root to the second's.</summary>
    /// <param name="btrfs">btrfs's own record of changes.</param>
    /// <param name="firstRootPath">The first generation's root subvolume.</param>
    /// <param name="secondRootPath">The second generation's root subvolume.</param>
    /// <param name="first">The first tree.</param>
    /// <param name="second">The second tree.</param>
    /// <param name="walk">Walk both trees even when btrfs could give the candidates.</param>
    /// <param name="otherRootPaths">The other generations' roots, which may link the two by snapshots.</param>
    public static FileDiff Compare(IBtrfsChanges btrfs, string firstRootPath, string secondRootPath, ISnapshotTree first, ISnapshotTree second, bool walk,
        IReadOnlyList<string>? otherRootPaths = null)
    {
        if (walk) return new FileDiff(FileDiffPlanner.Walk(first, second), FileDiffMethod.Walk, "--walk");
        FileDiffMethod method;
        string? reason;
        var candidates = new List<string>();
        try
        {
            var (firstInfo, secondInfo) = (btrfs.Info(firstRootPath), btrfs.Info(secondRootPath));
            var paths = new Dictionary<Guid, string> { [firstInfo.Uuid] = firstRootPath };
            paths.TryAdd(secondInfo.Uuid, secondRootPath);
            var known = new List<SubvolumeInfo>();
            IReadOnlyList<SubvolumeInfo> links;
            (method, links, reason) = FileDiffPlanner.Plan(firstInfo, secondInfo, known);
            if (method == FileDiffMethod.Walk && otherRootPaths is { Count: > 0 })
            {
                foreach (var other in otherRootPaths)
                {
                    SubvolumeInfo info;
                    // A generation that cannot be read (a plain directory left by hand) links nothing.
                    try { info = btrfs.Info(other); }
                    catch (IOException) { continue; }
                    if (paths.TryAdd(info.Uuid, other)) known.Add(info);
                }
                (method, links, reason) = FileDiffPlanner.Plan(firstInfo, secondInfo, known);
            }
            foreach (var link in links) candidates.AddRange(btrfs.ChangedSince(paths[link.Uuid], link.CreatedTransid));
        }
        catch (IOException e)
        {
            (method, reason) = (FileDiffMethod.Walk, "btrfs refused the tree search: " + e.Message);
        }
        return method switch
        {
            FileDiffMethod.ChildOfFirst => new FileDiff(FileDiffPlanner.FromCandidates(first, second, candidates), method, null),
            FileDiffMethod.ParentOfFirst => new FileDiff(FileDiffPlanner.Reverse(FileDiffPlanner.FromCandidates(second, first, candidates)), method, null),
            _ => new FileDiff(FileDiffPlanner.Walk(first, second), FileDiffMethod.Walk, reason),
        };
    }
}
