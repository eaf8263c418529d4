using System.Globalization;

namespace Apkgen.Core.Model;

/// <summary>
/// The contents of <c>snapshots/&lt;id&gt;/generation.ini</c>: where a generation came from,
/// what it changed, and how it has fared at boot. The file sits beside the read-only <c>@</c>
/// subvolume, in a plain directory, so the boot state can change after the commit.
/// Generations made by hand from the guide have no such file and count as <see cref="BootState.Good"/>.
/// </summary>
public sealed record GenerationInfo
{
    /// <summary>File name inside <c>snapshots/&lt;id&gt;/</c>.</summary>
    public const string FileName = "generation.ini";

    /// <summary>The generation's id (its directory name).</summary>
    public required string Id { get; init; }
    /// <summary>The generation this one was snapshotted from, if known.</summary>
    public string? Parent { get; init; }
    /// <summary>When it was committed (UTC).</summary>
    public DateTime? Created { get; init; }
    /// <summary>The command that made it, e.g. <c>apk add nginx</c>.</summary>
    public string Command { get; init; } = "";
    /// <summary>Package changes against the parent.</summary>
    public PackageChanges Packages { get; init; } = PackageChanges.None;
    /// <summary>World entries added against the parent.</summary>
    public IReadOnlyList<string> WorldAdded { get; init; } = [];
    /// <summary>World entries removed against the parent.</summary>
    public IReadOnlyList<string> WorldRemoved { get; init; } = [];
    /// <summary>Kernels found in its /boot.</summary>
    public IReadOnlyList<KernelInfo> Kernels { get; init; } = [];
    /// <summary>Boot assessment state.</summary>
    public BootState State { get; init; } = BootState.Good;
    /// <summary>Boot attempts left while pending (counter mode).</summary>
    public int AttemptsLeft { get; init; }
    /// <summary>Why the state was last changed (e.g. the failed health check).</summary>
    public string? Reason { get; init; }
    /// <summary>When the state was last changed (UTC).</summary>
    public DateTime? StateChanged { get; init; }
    /// <summary>Pinned generations are never garbage-collected.</summary>
    public bool Pinned { get; init; }
    /// <summary>The <c>FILE.apk-new</c> files the change that made it created (absolute paths inside it; issue 17, part 3).</summary>
    public IReadOnlyList<string> ApkNew { get; init; } = [];

    /// <summary>The metadata a guide-made generation is taken to have.</summary>
    public static GenerationInfo Implicit(string id) => new() { Id = id, Created = GenerationId.CreatedAt(id) };

    /// <summary>Parses generation.ini text; <paramref name="id"/> wins over the file's own.</summary>
    public static GenerationInfo Parse(string id, string text)
    {
        var doc = IniDocument.Parse(text);
        return new GenerationInfo
        {
            Id = id,
            Parent = NullIfEmpty(doc.Get("generation", "parent")),
            Created = ParseTime(doc.Get("generation", "created")) ?? GenerationId.CreatedAt(id),
            Command = doc.Get("generation", "command") ?? "",
            Pinned = doc.Get("generation", "pinned") is "true" or "yes" or "1",
            ApkNew = Transactions.ApkNewFiles.Decode(doc.Get("generation", "apk_new")),
            Packages = new PackageChanges(
                ParsePackages(doc.Get("packages", "added")),
                ParsePackages(doc.Get("packages", "removed")),
                ParseChanges(doc.Get("packages", "upgraded")),
                ParseChanges(doc.Get("packages", "downgraded"))),
            WorldAdded = Words(doc.Get("world", "added")),
            WorldRemoved = Words(doc.Get("world", "removed")),
            Kernels = doc.Section("kernels").Select(kv => new KernelInfo(kv.Key == "-" ? "" : kv.Key, kv.Value)).ToList(),
            State = (doc.Get("boot", "state") ?? "good") switch
            {
                "pending" => BootState.Pending,
                "bad" => BootState.Bad,
                "good" => BootState.Good,
                var s => throw new FormatException($"[boot] state: '{s}' is not pending, good or bad"),
            },
            AttemptsLeft = int.TryParse(doc.Get("boot", "attempts_left"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
            Reason = NullIfEmpty(doc.Get("boot", "reason")),
            StateChanged = ParseTime(doc.Get("boot", "changed")),
        };
    }

    /// <summary>Renders the file.</summary>
    public string Render()
    {
        var doc = new IniDocument()
            .Set("generation", "id", Id)
            .Set("generation", "parent", Parent)
            .Set("generation", "created", FormatTime(Created))
            .Set("generation", "command", Command)
            .Set("generation", "pinned", Pinned ? "true" : "false")
            .Set("packages", "added", string.Join(' ', Packages.Added.Select(p => $"{p.Name}={p.Version}")))
            .Set("packages", "removed", string.Join(' ', Packages.Removed.Select(p => $"{p.Name}={p.Version}")))
            .Set("packages", "upgraded", string.Join(' ', Packages.Upgraded.Select(c => $"{c.Name}={c.From}>{c.To}")))
            .Set("packages", "downgraded", string.Join(' ', Packages.Downgraded.Select(c => $"{c.Name}={c.From}>{c.To}")))
            .Set("world", "added", string.Join(' ', WorldAdded))
            .Set("world", "removed", string.Join(' ', WorldRemoved));
        // Only when there are any: the files of changes without .apk-new stay as they were.
        if (ApkNew.Count > 0) doc.Set("generation", "apk_new", Transactions.ApkNewFiles.Encode(ApkNew));
        foreach (var k in Kernels)
            doc.Set("kernels", k.Flavor.Length == 0 ? "-" : k.Flavor, k.Version);
        doc.Set("boot", "state", State.ToString().ToLowerInvariant())
            .Set("boot", "attempts_left", AttemptsLeft.ToString(CultureInfo.InvariantCulture))
            .Set("boot", "reason", Reason)
            .Set("boot", "changed", FormatTime(StateChanged));
        return doc.Render("apkgen generation metadata, see apkgen(8). Written by apkgen; edit with apkgen pin/unpin and apkgen-bootcheck.");
    }

    /// <summary>A short description for menus and lists: the command, or what changed.</summary>
    public string Describe() =>
        Command.Length > 0 ? Command : Packages.IsEmpty ? "made by hand (no apkgen metadata)" : Packages.Summary();

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    static string[] Words(string? s) => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    static List<Package> ParsePackages(string? s) =>
        Words(s).Select(w =>
        {
            var eq = w.IndexOf('=');
            if (eq <= 0) throw new FormatException($"package '{w}' is not NAME=VERSION");
            return new Package(w[..eq], w[(eq + 1)..]);
        }).ToList();

    static List<VersionChange> ParseChanges(string? s) =>
        Words(s).Select(w =>
        {
            var eq = w.IndexOf('=');
            var gt = w.IndexOf('>', Math.Max(eq, 0));
            if (eq <= 0 || gt < eq) throw new FormatException($"change '{w}' is not NAME=FROM>TO");
            return new VersionChange(w[..eq], w[(eq + 1)..gt], w[(gt + 1)..]);
        }).ToList();

    static DateTime? ParseTime(string? s) =>
        DateTime.TryParseExact(s, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    static string FormatTime(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
