using Apkgen.Core.Layout;

namespace Apkgen.Core.UseCases;

/// <summary>
/// What <c>apkgen rollback SLOT</c> does, decided from the layout alone: the generation that
/// becomes slot 0, the new slots (null: it is slot 0 already, nothing to do), and whether a
/// pending trial is dropped.
/// </summary>
/// <param name="Slot">The fallback slot promoted.</param>
/// <param name="GenerationId">The generation it holds.</param>
/// <param name="Slots">The new links generation's slots, or null when there is nothing to do.</param>
/// <param name="DropPending">A trial is pending: a rollback drops it (the user chose what boots).</param>
public sealed record RollbackPlan(int Slot, string GenerationId, IReadOnlyList<string>? Slots, bool DropPending)
{
    /// <summary>
    /// Decides. Throws <see cref="ApkgenException"/> (changing nothing) when the slot is not a
    /// fallback slot or holds a generation that may not be slot 0.
    /// </summary>
    public static RollbackPlan Make(LayoutState state, int slot, int links)
    {
        if (slot < 1 || slot >= state.Current.Slots.Count || state.Current.Slots[slot] is null)
            throw new ApkgenException($"there is no fallback slot {slot}", $"fallback slots are 1 to {state.Current.Slots.Count - 1}; see 'apkgen status'", ExitCodes.DataError);
        var id = state.Current.Slots[slot]!;
        if (id == state.Current.Slots[0]) return new RollbackPlan(slot, id, null, false);
        // Slot 0 is what the next boot starts: only a complete, committed, not-bad generation.
        var why = state.Find(id) is { } g ? g.WhyNotUsable() : $"does not exist (snapshots/{id} is missing)";
        if (why is not null)
            throw new ApkgenException($"slot {slot} holds generation {id}, which {why}; rollback promotes only a complete, committed, not-bad generation",
                "choose another slot (see 'apkgen status'); a bad generation can be marked good with 'apkgen-bootcheck mark-good' first", ExitCodes.DataError);
        return new RollbackPlan(slot, id, LinksPlanner.Rollback(state.Current.Slots, slot, links), state.Pending is not null);
    }
}
