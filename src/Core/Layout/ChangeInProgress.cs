using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Layout;

/// <summary>
/// Finds the snapshot a running change is building, for the readers that do not take the
/// lock (list, status): without this they would show it as broken and say gc deletes it.
/// <para>
/// A change holds <c>TOP/.apkgen.lock</c> with an exclusive flock from before its snapshot
/// exists until after it is committed or deleted, and makes exactly one snapshot. So: when a
/// process holds that lock (<see cref="IFileLocks.ExclusiveHolder"/>), the newest generation without
/// generation.ini whose <c>@</c> is a writable subvolume and whose id (the UTC second it was
/// made, apkgen's own id form) is not older than that process is the one being built.
/// Leftovers of crashed runs are older than the process holding the lock now, so they stay
/// "broken". The reader never takes the lock itself, even shared: a shared lock held for an
/// instant would make a concurrent <c>--wait 0</c> change fail.
/// </para>
/// </summary>
public static class ChangeInProgress
{
    /// <summary>What is being built, and by which process.</summary>
    public sealed record Building(string GenerationId, int Pid);

    /// <summary>
    /// <see cref="Find(LayoutState, IFileLocks)"/> with the real flock table: for the read-only
    /// views in <c>src/Hooks</c> (list, status), which do not pass their context's locks yet.
    /// </summary>
    public static Building? Find(LayoutState state) => Find(state, new LinuxFileLocks());

    /// <summary>The generation a running change is building in this layout, or null.</summary>
    public static Building? Find(LayoutState state, IFileLocks locks)
    {
        var candidates = state.Generations
            .Where(g => !g.HasMetadata && g.HasRoot && !g.RootIsPlainDirectory && !g.ReadOnly && GenerationId.CreatedAt(g.Id) is not null)
            .ToList();
        if (candidates.Count == 0) return null;
        if (locks.ExclusiveHolder(state.Top.LockFilePath) is not { } holder) return null;
        // Both times are whole seconds at best (the id's second, /proc/stat's btime): allow
        // two seconds so a change that snapshots within its first second still counts.
        var building = candidates
            .Where(g => holder.Started is not { } started || GenerationId.CreatedAt(g.Id)!.Value >= started.AddSeconds(-2))
            .OrderBy(g => g.Id, StringComparer.Ordinal)
            .LastOrDefault();
        return building is null ? null : new Building(building.Id, holder.Pid);
    }
}
