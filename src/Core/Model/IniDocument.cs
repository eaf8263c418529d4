using System.Text;

namespace Apkgen.Core.Model;

/// <summary>
/// A small, ordered INI document for apkgen's own metadata files (generation.ini): sections of
/// <c>key = value</c> lines, <c>#</c> or <c>;</c> comments. Kept apart from the configuration
/// reader so that parsing metadata costs no file provider and no reflection.
/// </summary>
public sealed class IniDocument
{
    readonly List<(string Section, List<KeyValuePair<string, string>> Entries)> _sections = [];

    /// <summary>Parses text; malformed lines raise <see cref="FormatException"/> naming the line.</summary>
    public static IniDocument Parse(string text)
    {
        var doc = new IniDocument();
        var section = "";
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']')
                    throw new FormatException($"line {lineNo}: unterminated section header");
                section = line[1..^1].Trim();
                doc.Entries(section);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"line {lineNo}: expected key = value");
            doc.Set(section, line[..eq].Trim(), line[(eq + 1)..].Trim());
        }
        return doc;
    }

    List<KeyValuePair<string, string>> Entries(string section)
    {
        foreach (var s in _sections)
            if (string.Equals(s.Section, section, StringComparison.OrdinalIgnoreCase))
                return s.Entries;
        var entries = new List<KeyValuePair<string, string>>();
        _sections.Add((section, entries));
        return entries;
    }

    /// <summary>Sets (or replaces) a value; values are single lines.</summary>
    public IniDocument Set(string section, string key, string? value)
    {
        var v = (value ?? "").Replace('\n', ' ').Replace('\r', ' ');
        var entries = Entries(section);
        for (var i = 0; i < entries.Count; i++)
            if (string.Equals(entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                entries[i] = new(entries[i].Key, v);
                return this;
            }
        entries.Add(new(key, v));
        return this;
    }

    /// <summary>The value, or null when absent.</summary>
    public string? Get(string section, string key)
    {
        foreach (var s in _sections)
            if (string.Equals(s.Section, section, StringComparison.OrdinalIgnoreCase))
                foreach (var kv in s.Entries)
                    if (string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase))
                        return kv.Value;
        return null;
    }

    /// <summary>The keys and values of a section in file order (empty when absent).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Section(string section)
    {
        foreach (var s in _sections)
            if (string.Equals(s.Section, section, StringComparison.OrdinalIgnoreCase))
                return s.Entries;
        return [];
    }

    /// <summary>Renders the document; an optional header comment goes first.</summary>
    public string Render(string? header = null)
    {
        var sb = new StringBuilder();
        if (header is not null)
            sb.Append("# ").Append(header).Append('\n');
        var first = true;
        foreach (var (section, entries) in _sections)
        {
            if (!first) sb.Append('\n');
            first = false;
            if (section.Length > 0)
                sb.Append('[').Append(section).Append("]\n");
            foreach (var kv in entries)
                sb.Append(kv.Key).Append(" = ").Append(kv.Value).Append('\n');
        }
        return sb.ToString();
    }
}
