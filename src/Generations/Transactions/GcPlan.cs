using Apkgen.Generations.Layout;

namespace Apkgen.Generations.Transactions;

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
    /// Plans a gc (the guide's syscln, made safe): keep every generation that <c>current</c>
    /// or <c>pending</c> names, the booted one (the kernel lets you delete a mounted
    /// subvolume), and pinned ones; keep the links directories of <c>current</c> and
    /// <c>pending</c>; delete everything else, including what crashed runs left (rw snapshots
    /// without metadata, directories without <c>@</c>, a stale <c>next/</c> entry). Runs under
    /// the global lock, so no generation being built is visible here.
    /// </summary>
    public static GcPlan Make(LayoutState state, string? bootedId)
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
        foreach (var g in state.Generations)
            if (g.Info.Pinned) Keep(g.Id, "pinned");

        var deleteGenerations = state.Generations.Where(g => !kept.ContainsKey(g.Id)).Select(g => g.Id).ToList();
        var keepLinks = new HashSet<string>(StringComparer.Ordinal) { state.Current.Id };
        if (state.Pending is { } pl) keepLinks.Add(pl.Id);
        var deleteLinks = state.LinksIds.Where(l => !keepLinks.Contains(l)).ToList();
        return new GcPlan(deleteGenerations, deleteLinks, state.HasStaleNext, kept);
    }
}
