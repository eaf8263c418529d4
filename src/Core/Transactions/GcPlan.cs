using Apkgen.Core.Layout;

namespace Apkgen.Core.Transactions;

/// <summary>What a gc run deletes and why the rest stays.</summary>
public sealed record GcPlan(
    IReadOnlyList<string> DeleteGenerations,
    IReadOnlyList<string> DeleteLinks,
    bool ClearNext,
    IReadOnlyDictionary<string, string> Kept)
{
    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => DeleteGenerations.Count == 0 && DeleteLinks.Count == 0 && !ClearNext;

    /// <summary>
    /// What the gc after a switch tells the user, or null when it deleted no generation:
    /// every commit and rollback leaves the previous links directory unused, so deleting it
    /// is routine and not worth a line (issue 13, finding 5).
    /// </summary>
    public string? AfterSwitchSummary() => DeleteGenerations.Count switch
    {
        0 => null,
        1 => $"gc: deleted generation {DeleteGenerations[0]}, which no slot uses any more",
        var n => $"gc: deleted {n} generations no slot uses any more: {string.Join(' ', DeleteGenerations)}",
    };

    /// <summary>
    /// Plans a gc (the guide's syscln, made safe): keep every generation that <c>current</c>
    /// or <c>pending</c> names, the booted one (the kernel lets you delete a mounted
    /// subvolume), and pinned ones; keep the links directories of <c>current</c> and
    /// <c>pending</c>; delete everything else, including what crashed runs left (rw snapshots
    /// without metadata, directories without <c>@</c>, a stale <c>next/</c> entry). Runs under
    /// the global lock, so no generation being built is visible here; a reader without the
    /// lock (status) passes the one it found being built as <paramref name="buildingId"/>.
    /// Every slot of a links directory it keeps is kept, whatever gaps lie before it (a slot
    /// removed by hand must not let gc delete what later slots name).
    /// </summary>
    public static GcPlan Make(LayoutState state, string? bootedId, string? buildingId = null)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        void Keep(string? id, string why)
        {
            if (id is not null && !kept.ContainsKey(id)) kept[id] = why;
        }
        for (var i = 0; i < state.Current.Slots.Count; i++) Keep(state.Current.Slots[i], $"slot {i}");
        if (state.Pending is { } p)
            for (var i = 0; i < p.Slots.Count; i++) Keep(p.Slots[i], $"pending slot {i}");
        Keep(bootedId, "booted");
        Keep(buildingId, "a change in progress");
        foreach (var g in state.Generations)
            if (g.Info.Pinned) Keep(g.Id, "pinned");

        var deleteGenerations = state.Generations.Where(g => !kept.ContainsKey(g.Id)).Select(g => g.Id).ToList();
        var keepLinks = new HashSet<string>(StringComparer.Ordinal) { state.Current.Id };
        if (state.Pending is { } pl) keepLinks.Add(pl.Id);
        var deleteLinks = state.LinksIds.Where(l => !keepLinks.Contains(l)).ToList();
        return new GcPlan(deleteGenerations, deleteLinks, state.HasStaleNext, kept);
    }
}
