namespace Apkgen.Core.Configuration;

/// <summary>
/// apkgen.conf's text, read once and tolerantly: every <c>key = value</c> with its section
/// and line, and every line that is wrong, without throwing. The one reader of apkgen.conf:
/// the full load (<see cref="ApkgenConfig.Load"/>) refuses a file with <see cref="Problems"/>
/// and binds <see cref="Entries"/>; the wrapper's fast path (the real apk's path for a
/// read-only applet, under 1 ms) takes a value from a file without malformed lines and
/// ignores the rest. The syntax is Microsoft.Extensions.Configuration.Ini's, which the
/// configuration stack read before (IniStreamConfigurationProvider.Read): lines trimmed,
/// <c>;</c>, <c>#</c> and <c>/</c> start comments, <c>[section]</c>, <c>key = value</c> with
/// both sides trimmed and one pair of surrounding double quotes removed, keys
/// case-insensitive and set once per section. generation.ini is apkgen's own output and
/// keeps its own small format (<see cref="Model.IniDocument"/>), which also renders.
/// </summary>
public sealed class ConfText
{
    /// <summary>One <c>key = value</c> line.</summary>
    /// <param name="Section">The section it is in ("" before any header).</param>
    /// <param name="Key">The key, trimmed.</param>
    /// <param name="Value">The value as the configuration means it: trimmed, one pair of surrounding quotes removed.</param>
    /// <param name="RawValue">The value as written, only trimmed (what apk-front.c reads).</param>
    /// <param name="Line">1-based line number.</param>
    public sealed record Entry(string Section, string Key, string Value, string RawValue, int Line);

    /// <summary>A line that is wrong, and why (with <c>line N:</c> first, the line's bytes escaped).</summary>
    /// <param name="Line">1-based line number.</param>
    /// <param name="Message">What is wrong, for the administrator.</param>
    /// <param name="Malformed">True for a line that is no section, key = value or comment; false for a key set twice.</param>
    public sealed record Problem(int Line, string Message, bool Malformed);

    /// <summary>The <c>key = value</c> lines in file order (a key set twice appears twice).</summary>
    public IReadOnlyList<Entry> Entries { get; }

    /// <summary>What is wrong with the text, in line order; empty for a good file.</summary>
    public IReadOnlyList<Problem> Problems { get; }

    /// <summary>True when some line is neither a section, a key = value nor a comment.</summary>
    public bool HasMalformedLines => Problems.Any(p => p.Malformed);

    ConfText(IReadOnlyList<Entry> entries, IReadOnlyList<Problem> problems) => (Entries, Problems) = (entries, problems);

    /// <summary>Reads the text; never throws.</summary>
    public static ConfText Parse(string text)
    {
        var entries = new List<Entry>();
        var problems = new List<Problem>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var section = "";
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/') continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                problems.Add(new(i + 1, $"line {i + 1}: '{Printable.Escape(raw)}' is neither a [section], a key = value nor a comment", true));
                continue;
            }
            var key = line[..eq].Trim();
            var rawValue = line[(eq + 1)..].Trim();
            var value = rawValue.Length > 1 && rawValue[0] == '"' && rawValue[^1] == '"' ? rawValue[1..^1] : rawValue;
            if (!seen.Add(section + ":" + key))
                problems.Add(new(i + 1, $"line {i + 1}: key '{Printable.Escape(key)}' appears twice in [{Printable.Escape(section)}]; each key may be set once", false));
            entries.Add(new(section, key, value, rawValue, i + 1));
        }
        return new ConfText(entries, problems);
    }

    /// <summary>The last value set for the key in the section (case-insensitive), or null.</summary>
    /// <param name="section">The section.</param>
    /// <param name="key">The key.</param>
    /// <param name="raw">True: as written (only trimmed), as apk-front.c reads it.</param>
    public string? Get(string section, string key, bool raw = false)
    {
        for (var i = Entries.Count - 1; i >= 0; i--)
        {
            var e = Entries[i];
            if (string.Equals(e.Section, section, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase))
                return raw ? e.RawValue : e.Value;
        }
        return null;
    }

    /// <summary>
    /// The entries as configuration keys (<c>section:key</c>, a key before any section as
    /// itself), each once: what <see cref="ApkgenConfig.Bind"/> reads.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration() =>
        Entries.GroupBy(e => e.Section.Length == 0 ? e.Key : e.Section + ":" + e.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new KeyValuePair<string, string?>(g.Key, g.First().Value));
}
