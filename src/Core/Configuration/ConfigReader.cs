using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Apkgen.Core.Configuration;

/// <summary>
/// Typed, AOT-safe access to one section of <c>/etc/apkgen.conf</c>. Each key is read through
/// this reader, which remembers it as known; after binding, <see cref="ApkgenConfig.Load"/>
/// rejects any key no section read, naming the file and the key. Bad values raise
/// <see cref="ApkgenException"/> with <see cref="ExitCodes.Config"/>.
/// </summary>
public sealed class ConfigReader
{
    readonly IConfiguration _config;
    readonly string _section;
    readonly string _filePath;
    readonly HashSet<string> _known;

    internal ConfigReader(IConfiguration config, string section, string filePath, HashSet<string> known)
    {
        _config = config;
        _section = section;
        _filePath = filePath;
        _known = known;
        _known.Add(section);
    }

    string? Raw(string key)
    {
        _known.Add(_section + ":" + key);
        var v = _config[_section + ":" + key]?.Trim();
        return string.IsNullOrEmpty(v) ? null : v;
    }

    ApkgenException Bad(string key, string value, string expected) =>
        new($"{_filePath}: [{_section}] {key} = '{Printable.Escape(value)}' is not {expected}",
            $"fix or remove the key in {_filePath}; apkgen.conf(5) lists every key and its default", ExitCodes.Config);

    /// <summary>The error for a value a section parses itself (e.g. [change] min_free).</summary>
    public ApkgenException Invalid(string key, string value, string expected) => Bad(key, value, expected);

    /// <summary>A string, or the default when absent or empty.</summary>
    public string String(string key, string defaultValue) => Raw(key) ?? defaultValue;

    /// <summary>A string, or null when absent or empty.</summary>
    public string? OptionalString(string key) => Raw(key);

    /// <summary>An absolute path, or the default.</summary>
    public string Path(string key, string defaultValue) => OptionalPath(key) ?? defaultValue;

    /// <summary>An absolute path, or null.</summary>
    public string? OptionalPath(string key)
    {
        var v = Raw(key);
        if (v is not null && !v.StartsWith('/')) throw Bad(key, v, "an absolute path");
        return v;
    }

    /// <summary>An integer within bounds.</summary>
    public int Int(string key, int defaultValue, int min, int max)
    {
        var v = Raw(key);
        if (v is null) return defaultValue;
        if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw Bad(key, v, $"a whole number from {min} to {max}");
        return n;
    }

    /// <summary>A boolean: true/false, yes/no, on/off, 1/0.</summary>
    public bool Bool(string key, bool defaultValue) => Raw(key)?.ToLowerInvariant() switch
    {
        null => defaultValue,
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        var v => throw Bad(key, v, "true or false"),
    };

    /// <summary>One of a fixed set of words (case-insensitive), lower-cased.</summary>
    public string Choice(string key, string defaultValue, params string[] choices) =>
        Choice(key, defaultValue, choices.Select(c => (c, c)).ToArray());

    /// <summary>One of a fixed set of words (case-insensitive), as the value it stands for.</summary>
    public T Choice<T>(string key, T defaultValue, params (string Word, T Value)[] choices)
    {
        var v = Raw(key);
        if (v is null) return defaultValue;
        foreach (var (word, value) in choices)
            if (string.Equals(word, v, StringComparison.OrdinalIgnoreCase)) return value;
        throw Bad(key, v, "one of " + string.Join(", ", choices.Select(c => c.Word)));
    }

    /// <summary>A whitespace-separated list, or the default.</summary>
    public IReadOnlyList<string> List(string key, IReadOnlyList<string> defaultValue)
    {
        var v = Raw(key);
        return v is null ? defaultValue : v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }
}
