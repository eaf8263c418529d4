using System.Text;

namespace Apkgen.Core.Refind;

/// <summary>
/// Adds <c>include FILE</c> to rEFInd's main configuration, leaving every other byte as it
/// was. The text is handled as Latin-1 so that any byte survives the round trip unchanged.
/// </summary>
public static class RefindInclude
{
    /// <summary>The comment written above the include line.</summary>
    public const string Comment = "# Added by apkgen-refind(8): the entries of apkgen's generations.";

    /// <summary>Latin-1 maps each byte to one char and back: a lossless view of any file.</summary>
    public static readonly Encoding Bytes = Encoding.Latin1;

    /// <summary>
    /// True when a line (not a comment) already says <c>include FILE</c>. Compared as rEFInd
    /// does: keyword and name case-insensitively (MyStriCmp; the ESP is FAT), <c>/</c> as <c>\</c>.
    /// </summary>
    public static bool HasInclude(string text, string includePath)
    {
        var want = Normalize(includePath);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash].TrimEnd();
            var words = line.Split([' ', '\t', '='], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 2 && words[0].Equals("include", StringComparison.OrdinalIgnoreCase)
                && Normalize(words[1].Trim('"')) == want)
                return true;
        }
        return false;
    }

    /// <summary>
    /// The main configuration with the include line appended at the end (rEFInd reads an
    /// included file as if it stood where the line is; at the end it cannot be overridden by
    /// later settings). Unchanged when the line is there already. Keeps the file's line ends.
    /// </summary>
    public static string Ensure(string text, string includePath)
    {
        if (HasInclude(text, includePath)) return text;
        var eol = text.Contains("\r\n") ? "\r\n" : "\n";
        var sb = new StringBuilder(text);
        if (text.Length > 0 && !text.EndsWith('\n')) sb.Append(eol);
        if (text.Length > 0) sb.Append(eol);
        sb.Append(Comment).Append(eol).Append("include ").Append(includePath).Append(eol);
        return sb.ToString();
    }

    static string Normalize(string path) => path.Replace('/', '\\').TrimStart('\\').ToUpperInvariant();
}
