using Apkgen.Core.Layout;
using Apkgen.Core.Model;

namespace Apkgen.Core.Transactions;

/// <summary>The generation a new transaction snapshots, and what to tell the user about the choice.</summary>
public sealed record BaseChoice(string Id, string? Note);

/// <summary>
/// DESIGN, "Base of a new transaction": slot 0 when it is booted, or when it is pending and
/// stacks (through pending parents) on the booted one; otherwise the booted generation.
/// Never a bad one. Not running from this layout (a sandbox, a rescue system): slot 0.
/// </summary>
public static class BaseSelector
{
    /// <summary>Chooses the base. <paramref name="from"/> is a slot number or generation id given with --from.</summary>
    public static BaseChoice Choose(LayoutState state, string? bootedId, string? from)
    {
        if (from is not null)
            return ChooseExplicit(state, from);

        var slot0 = state.Current.Slots[0]
            ?? throw new ApkgenException("slot 0 of current does not name a generation", "repair the links directory or run 'apkgen rollback'", ExitCodes.DataError);

        if (bootedId is null || slot0 == bootedId)
            return Usable(state, slot0, null);

        if (StacksOn(state, slot0, bootedId))
            return Usable(state, slot0, $"stacking on generation {slot0}, which has not been booted yet (the running one is {bootedId})");

        return Usable(state, bootedId, $"slot 0 holds {slot0}, but the running system is {bootedId}: the change is based on the running generation");
    }

    static bool StacksOn(LayoutState state, string id, string bootedId)
    {
        var seen = new HashSet<string>();
        for (var g = state.Find(id); g is not null && seen.Add(g.Id); g = g.Info.Parent is { } p ? state.Find(p) : null)
        {
            if (g.Id == bootedId) return true;
            if (g.State != BootState.Pending) return false;
        }
        return false;
    }

    static BaseChoice Usable(LayoutState state, string id, string? note)
    {
        var g = state.Find(id)
            ?? throw new ApkgenException($"generation {id} does not exist (snapshots/{id} is missing)", "run 'apkgen status' to inspect the layout, and 'apkgen rollback' to a complete generation", ExitCodes.DataError);
        if (g is { State: BootState.Bad })
        {
            var fallback = state.Current.Slots.FirstOrDefault(s => s is not null && state.Find(s) is { } f && f.WhyNotUsable() is null)
                ?? throw new ApkgenException("every generation in the slots is marked bad or incomplete", "mark one good with 'apkgen-bootcheck mark-good ID', or pass --from", ExitCodes.DataError);
            return new(fallback, $"generation {id} is marked bad; basing the change on {fallback}");
        }
        if (g.WhyNotUsable() is { } why)
            throw new ApkgenException($"generation {id} {why}; a change is based only on a complete, committed generation",
                "run 'apkgen status' to inspect the layout; choose another base with --from", ExitCodes.DataError);
        return new(id, note);
    }

    static BaseChoice ChooseExplicit(LayoutState state, string from)
    {
        var id = Resolve(state, from);
        var g = state.Find(id)
            ?? throw new ApkgenException($"generation {id} does not exist (snapshots/{id} is missing)", "choose another generation with --from; see 'apkgen list'", ExitCodes.DataError);
        if (g.WhyNotUsable() is { } why)
            throw new ApkgenException($"generation {id} {why}; --from takes only a complete, committed, not-bad generation",
                g.State == BootState.Bad ? "choose another with --from, or mark it good first with 'apkgen-bootcheck mark-good'" : "choose another generation with --from; see 'apkgen list'",
                ExitCodes.DataError);
        return new(id, null);
    }

    /// <summary>A slot number of <c>current</c> or a generation id (a unique prefix is enough) to an id.</summary>
    public static string Resolve(LayoutState state, string slotOrId)
    {
        if (slotOrId.Length <= 2 && int.TryParse(slotOrId, out var slot))
        {
            if (slot < 0 || slot >= state.Current.Slots.Count || state.Current.Slots[slot] is null)
                throw new ApkgenException($"there is no slot {slot}", $"slots are 0 to {state.Current.Slots.Count - 1}; see 'apkgen list'", ExitCodes.DataError);
            return state.Current.Slots[slot]!;
        }
        var matches = state.Generations.Where(g => g.Id.StartsWith(slotOrId, StringComparison.Ordinal)).ToList();
        var exact = matches.FirstOrDefault(g => g.Id == slotOrId);
        if (exact is not null) return exact.Id;
        return matches.Count switch
        {
            1 => matches[0].Id,
            0 => throw new ApkgenException($"no generation '{slotOrId}'", "see 'apkgen list' for ids and slots", ExitCodes.DataError),
            _ => throw new ApkgenException($"'{slotOrId}' matches {matches.Count} generations", "give more of the id", ExitCodes.DataError),
        };
    }
}
