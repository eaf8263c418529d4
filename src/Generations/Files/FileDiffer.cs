using Apkgen.Generations.Edge;

namespace Apkgen.Generations.Files;

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
    public static FileDiff Compare(IBtrfsChanges btrfs, string firstRootPath, string secondRootPath, ISnapshotTree first, ISnapshotTree second, bool walk)
    {
        if (walk) return new FileDiff(FileDiffPlanner.Walk(first, second), FileDiffMethod.Walk, "--walk");
        FileDiffMethod method;
        string? reason;
        IReadOnlyList<string> candidates;
        try
        {
            var (firstInfo, secondInfo) = (btrfs.Info(firstRootPath), btrfs.Info(secondRootPath));
            (method, reason) = FileDiffPlanner.Choose(firstInfo, secondInfo);
            candidates = method switch
            {
                FileDiffMethod.ChildOfFirst => btrfs.ChangedSince(secondRootPath, secondInfo.CreatedTransid),
                FileDiffMethod.ParentOfFirst => btrfs.ChangedSince(firstRootPath, firstInfo.CreatedTransid),
                _ => [],
            };
        }
        catch (IOException e)
        {
            (method, reason, candidates) = (FileDiffMethod.Walk, "btrfs refused the tree search: " + e.Message, []);
        }
        return method switch
        {
            FileDiffMethod.ChildOfFirst => new FileDiff(FileDiffPlanner.FromCandidates(first, second, candidates), method, null),
            FileDiffMethod.ParentOfFirst => new FileDiff(FileDiffPlanner.Reverse(FileDiffPlanner.FromCandidates(second, first, candidates)), method, null),
            _ => new FileDiff(FileDiffPlanner.Walk(first, second), FileDiffMethod.Walk, reason),
        };
    }
}
