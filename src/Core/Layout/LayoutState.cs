using Apkgen.Core.Model;

namespace Apkgen.Core.Layout;

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

    /// <summary>
    /// Why generation.ini could not be read (malformed, not a regular file, too large), or
    /// null. Such a generation carries the implicit metadata of a guide-made one
    /// (<see cref="GenerationInfo.Implicit"/>): gc treats it by the same rules, and it may not
    /// become slot 0 or a base, since its boot state is unknown.
    /// </summary>
    public string? MetadataError { get; init; }

    /// <summary>True when <c>@</c> is a plain directory, not a btrfs subvolume.</summary>
    public bool RootIsPlainDirectory { get; init; }

    /// <summary>
    /// Why this generation may not become slot 0 or the base of a change, or null when it
    /// may: it must be complete (a read-only <c>@</c> subvolume), have readable metadata
    /// (or none, as the guide makes them) and not be marked bad. The reason reads after
    /// "generation ID ".
    /// </summary>
    public string? WhyNotUsable() =>
        !HasRoot ? $"has no root subvolume (snapshots/{Id}/@ is missing)"
        : RootIsPlainDirectory ? $"is not a snapshot (snapshots/{Id}/@ is a plain directory, not a btrfs subvolume)"
        : !ReadOnly ? $"was never committed (snapshots/{Id}/@ is writable: a change in progress or left by a crash)"
        : MetadataError is { } e ? $"has unreadable metadata (snapshots/{Id}/{GenerationInfo.FileName}: {e}), so its boot state is unknown"
        : State == BootState.Bad ? $"is marked bad ({Info.Reason ?? "failed to boot"})"
        : null;
}

/// <summary>
/// One links generation: <c>links/&lt;lid&gt;/0..N-1</c>, each a symlink to a snapshot
/// generation. <see cref="Slots"/>[i] is the generation id in slot i, or null if the symlink
/// is missing or names something else (a gap). N is one more than the highest slot number
/// present, so a gap never hides the slots after it.
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

    /// <summary>The slots that name no generation (removed by hand, or naming something else).</summary>
    public IReadOnlyList<int> Gaps => Enumerable.Range(0, Slots.Count).Where(i => Slots[i] is null).ToList();
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
