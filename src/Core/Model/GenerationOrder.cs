namespace Apkgen.Core.Model;

/// <summary>
/// The order generations are shown and reasoned about in: oldest first. A seed-form id starts
/// with its creation time to the second, so ids sort by age except within one second, where
/// the random suffix decides; a script's <c>apk add a; apk add b</c> makes two generations in
/// one second. Within a second a generation comes after its ancestors (its parent chain), and
/// unrelated ones by id, so the order is total and the same on every read.
/// </summary>
public static class GenerationOrder
{
    /// <summary>Sorts <paramref name="items"/> oldest first; <paramref name="parentOf"/> gives an item's parent id.</summary>
    public static void Sort<T>(List<T> items, Func<T, string> idOf, Func<T, string?> parentOf)
    {
        var parents = new Dictionary<string, string?>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
            parents[idOf(item)] = parentOf(item);
        // The number of ancestors made in the same second: 0 for the first of a chain.
        int Depth(string id)
        {
            var second = Second(id);
            var depth = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal) { id };
            while (parents.GetValueOrDefault(id) is { } parent && seen.Add(parent)
                   && parents.ContainsKey(parent) && Second(parent).SequenceEqual(second))
            {
                depth++;
                id = parent;
            }
            return depth;
        }
        var keys = items.ToDictionary(idOf, item => Depth(idOf(item)), StringComparer.Ordinal);
        items.Sort((a, b) =>
        {
            string x = idOf(a), y = idOf(b);
            var bySecond = Second(x).SequenceCompareTo(Second(y));
            if (bySecond != 0) return bySecond;
            var byDepth = keys[x].CompareTo(keys[y]);
            return byDepth != 0 ? byDepth : string.CompareOrdinal(x, y);
        });
    }

    // The creation second of a seed-form id; any other name is its own group.
    static ReadOnlySpan<char> Second(string id) => GenerationId.IsSeedForm(id) ? id.AsSpan(0, 14) : id.AsSpan();
}
