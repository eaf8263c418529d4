namespace Apkgen.Core.Layout;

/// <summary>
/// Pure rules for the next links generation. The guide's sysmut shifts slots
/// (new, old 0, old 1, old 2); apkgen does the same, but a generation appears once, so a
/// rollback or demotion does not waste fallback slots on duplicates, and the list is padded
/// with its last entry to N because every slot must resolve (rEFInd's menu names all N).
/// </summary>
public static class LinksPlanner
{
    /// <summary>A new generation in slot 0, the previous slots after it.</summary>
    public static IReadOnlyList<string> Promote(string newId, IReadOnlyList<string?> slots, int count) =>
        Normalize([newId, .. slots], count);

    /// <summary>Slot <paramref name="slot"/> moved to slot 0, the others after it in order.</summary>
    public static IReadOnlyList<string> Rollback(IReadOnlyList<string?> slots, int slot, int count)
    {
        if (slot < 0 || slot >= slots.Count || slots[slot] is null)
            throw new ArgumentOutOfRangeException(nameof(slot));
        return Normalize([slots[slot], .. slots], count);
    }

    /// <summary>
    /// Slots without the demoted generation. <paramref name="good"/> decides which
    /// generations may take slot 0: the first good one moves to the front.
    /// </summary>
    public static IReadOnlyList<string> Demote(IReadOnlyList<string?> slots, string demotedId, int count, Func<string, bool> good)
    {
        var rest = slots.Where(s => s is not null && s != demotedId).Cast<string>().Distinct().ToList();
        if (rest.Count == 0)
            throw new InvalidOperationException("no other generation to fall back to");
        var first = rest.FirstOrDefault(good) ?? rest[0];
        rest.Remove(first);
        return Normalize([first, .. rest], count);
    }

    /// <summary>Drops nulls and duplicates (first wins), cuts to N, pads with the last entry.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string?> slots, int count)
    {
        var result = slots.Where(s => s is not null).Cast<string>().Distinct().Take(count).ToList();
        if (result.Count == 0)
            throw new InvalidOperationException("a links generation needs at least one generation");
        while (result.Count < count)
            result.Add(result[^1]);
        return result;
    }
}
