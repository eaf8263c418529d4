using Apkgen.Core.Model;

namespace Apkgen.Core.Layout;

/// <summary>
/// The layout after a change apkgen itself just made, computed from the layout read under
/// the lock instead of read again: under the lock nothing else writes it, so what apkgen
/// wrote is all that changed (one read of the layout per command).
/// </summary>
public static class LayoutChanges
{
    /// <summary>A commit: the new generation, and <paramref name="linkName"/> switched to <paramref name="links"/>.</summary>
    public static LayoutState Committed(LayoutState state, Generation generation, LayoutLink linkName, LinksGeneration links)
    {
        var generations = state.Generations.Where(g => g.Id != generation.Id).Append(generation).ToList();
        GenerationOrder.Sort(generations, g => g.Id, g => g.Info.Parent);
        return Switched(state with { Generations = generations }, linkName, links);
    }

    /// <summary><paramref name="linkName"/> (<c>current</c> or <c>pending</c>) now names <paramref name="links"/>.</summary>
    public static LayoutState Switched(LayoutState state, LayoutLink linkName, LinksGeneration links)
    {
        var ids = state.LinksIds.Contains(links.Id, StringComparer.Ordinal) ? state.LinksIds
            : state.LinksIds.Append(links.Id).Order(StringComparer.Ordinal).ToList();
        return linkName == LayoutLink.Pending
            ? state with { Pending = links, LinksIds = ids }
            : state with { Current = links, LinksIds = ids };
    }

    /// <summary><c>pending</c> removed.</summary>
    public static LayoutState WithoutPending(LayoutState state) => state with { Pending = null };
}
