using Apkgen.Generations.Model;

namespace Apkgen.Generations.Layout;

/// <summary>One snapshot generation: <c>snapshots/&lt;id&gt;</c>.</summary>
/// <param name="Id">Directory name.</param>
/// <param name="Info">Its generation.ini, or the implicit metadata of a guide-made generation.</param>
/// <param name="HasMetadata">Whether generation.ini exists.</param>
/// <param name="HasRoot">Whether <c>@</c> exists (a crash can leave the directory alone).</param>
/// <param name="ReadOnly">Whether <c>@</c> is a read-only subvolume (committed generations are).</param>
public sealed record Generation(string Id, GenerationInfo Info, bool HasMetadata, bool HasRoot, bool ReadOnly)
{
    /// <summary>The effective boot state.</summary>
    public BootState State => Info.State;
}

/// <summary>
/// One links generation: <c>links/&lt;lid&gt;/0..N-1</c>, each a symlink to a snapshot
/// generation. <see cref="Slots"/>[i] is the generation id in slot i, or null if the symlink
/// is missing or names something else.
/// </summary>
public sealed record LinksGeneration(string Id, IReadOnlyList<string?> Slots)
{
    /// <summary>The slots holding a generation.</summary>
    public IEnumerable<int> SlotsOf(string generationId)
    {
        for (var i = 0; i < Slots.Count; i++)
            if (Slots[i] == generationId)
                yield return i;
    }
}

/// <summary>A consistent read of the whole layout.</summary>
public sealed record LayoutState(
    TopLevel Top,
    IReadOnlyList<Generation> Generations,
    LinksGeneration Current,
    LinksGeneration? Pending,
    IReadOnlyList<string> LinksIds,
    bool HasStaleNext)
{
    /// <summary>The generation with this id, or null.</summary>
    public Generation? Find(string id) => Generations.FirstOrDefault(g => g.Id == id);
}
