namespace Apkgen.Core.Model;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)).</summary>
public sealed record MountEntry(string Root, string MountPoint, string FsType, string Source, string SuperOptions)
{
    /// <summary>
    /// Parses mountinfo text. Fields: id, parent, major:minor, root, mount point, options,
    /// optional fields up to "-", fs type, source, super options; octal escapes (\040) decoded.
    /// </summary>
    public static List<MountEntry> Parse(string text)
    {
        var result = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            var dash = Array.IndexOf(f, "-", 6);
            if (f.Length < 10 || dash < 0 || dash + 3 > f.Length) continue;
            result.Add(new(Unescape(f[3]), Unescape(f[4]), f[dash + 1], Unescape(f[dash + 2]), dash + 3 < f.Length ? f[dash + 3] : ""));
        }
        return result;
    }

    static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s[i + 1] is >= '0' and <= '3')
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
