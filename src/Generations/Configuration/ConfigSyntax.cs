namespace Apkgen.Generations.Configuration;

/// <summary>
/// The INI reader's syntax errors in words. The executables are built with
/// UseSystemResourceKeys, so Microsoft.Extensions.Configuration.Ini's messages arrive as
/// resource keys with their arguments ("Error_KeyIsDuplicated, layout:device"); this says what
/// is wrong and on which line, with the line's bytes escaped (it may hold control bytes).
/// </summary>
public static class ConfigSyntax
{
    /// <summary>The message for <paramref name="message"/> (the reader's), given the file's text.</summary>
    public static string Describe(string message, string text)
    {
        var comma = message.IndexOf(", ", StringComparison.Ordinal);
        var key = comma < 0 ? message : message[..comma];
        var argument = comma < 0 ? "" : message[(comma + 2)..];
        var lines = text.Split('\n');
        switch (key)
        {
            case "Error_KeyIsDuplicated":
            {
                var colon = argument.LastIndexOf(':');
                var (section, name) = colon < 0 ? ("", argument) : (argument[..colon], argument[(colon + 1)..]);
                var line = DuplicateLine(lines, section, name);
                return $"{(line > 0 ? $"line {line}: " : "")}key '{Printable.Escape(name)}' appears twice in [{Printable.Escape(section)}]; each key may be set once";
            }
            case "Error_UnrecognizedLineFormat":
            {
                var line = Array.FindIndex(lines, l => l.Trim() == argument.Trim()) + 1;
                return $"{(line > 0 ? $"line {line}: " : "")}'{Printable.Escape(argument)}' is neither a [section], a key = value nor a comment";
            }
            default:
                return Printable.Escape(message);
        }
    }

    // The second line that sets section:name (the one the reader refused), 1-based; 0 if not found.
    static int DuplicateLine(string[] lines, string section, string name)
    {
        var current = "";
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var l = lines[i].Trim();
            if (l.Length == 0 || l[0] is ';' or '#' or '/') continue;
            if (l[0] == '[' && l[^1] == ']') { current = l[1..^1].Trim(); continue; }
            var eq = l.IndexOf('=');
            var k = (eq < 0 ? l : l[..eq]).Trim();
            if (string.Equals(current, section, StringComparison.OrdinalIgnoreCase) && string.Equals(k, name, StringComparison.OrdinalIgnoreCase) && ++seen == 2)
                return i + 1;
        }
        return 0;
    }
}
