namespace Apkgen.Core.Model;

/// <summary>
/// apk's version order (apk-tools <c>src/version.c</c>, simplified where apkgen does not
/// need more): dot-separated numbers, a trailing letter, suffixes
/// (<c>_alpha</c> &lt; <c>_beta</c> &lt; <c>_pre</c> &lt; <c>_rc</c> &lt; none &lt; <c>_cvs</c> &lt;
/// <c>_svn</c> &lt; <c>_git</c> &lt; <c>_hg</c> &lt; <c>_p</c>), a commit hash <c>~hash</c>, and
/// the package release <c>-rN</c>. Used only to tell an upgrade from a downgrade.
/// </summary>
public static class ApkVersion
{
    static readonly string[] PreSuffixes = ["alpha", "beta", "pre", "rc"];
    static readonly string[] PostSuffixes = ["cvs", "svn", "git", "hg", "p"];

    /// <summary>Negative if a &lt; b, zero if equal, positive if a &gt; b.</summary>
    public static int Compare(string a, string b)
    {
        var ta = Tokens(a);
        var tb = Tokens(b);
        for (var i = 0; i < Math.Max(ta.Count, tb.Count); i++)
        {
            var x = i < ta.Count ? ta[i] : End;
            var y = i < tb.Count ? tb[i] : End;
            var c = x.CompareTo(y);
            if (c != 0) return c;
        }
        return 0;
    }

    static readonly Token End = new(0, 0, "");

    // Rank orders token kinds where they meet: pre-release suffix < end < number/letter/post suffix.
    readonly record struct Token(int Rank, long Number, string Text) : IComparable<Token>
    {
        public int CompareTo(Token other)
        {
            if (Rank != other.Rank) return Rank.CompareTo(other.Rank);
            if (Number != other.Number) return Number.CompareTo(other.Number);
            return string.CompareOrdinal(Text, other.Text);
        }
    }

    static List<Token> Tokens(string v)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < v.Length)
        {
            var c = v[i];
            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < v.Length && char.IsAsciiDigit(v[i])) i++;
                var digits = v[start..i].TrimStart('0');
                tokens.Add(new(2, digits.Length > 18 ? long.MaxValue : digits.Length == 0 ? 0 : long.Parse(digits), ""));
            }
            else if (c == '_')
            {
                var start = ++i;
                while (i < v.Length && char.IsAsciiLetter(v[i])) i++;
                var name = v[start..i];
                var pre = Array.IndexOf(PreSuffixes, name);
                var post = Array.IndexOf(PostSuffixes, name);
                tokens.Add(pre >= 0 ? new(-1, pre, "") : new(3, post < 0 ? 0 : post, post < 0 ? name : ""));
            }
            else if (c == '-' && i + 1 < v.Length && v[i + 1] == 'r')
            {
                i += 2;
                var start = i;
                while (i < v.Length && char.IsAsciiDigit(v[i])) i++;
                tokens.Add(new(1, 0, ""));
                tokens.Add(new(2, start == i ? 0 : long.Parse(v[start..i]), ""));
            }
            else if (c == '~')
            {
                tokens.Add(new(4, 0, v[(i + 1)..]));
                break;
            }
            else if (char.IsAsciiLetter(c))
            {
                tokens.Add(new(2, 0, c.ToString()));
                i++;
            }
            else
                i++; // '.' and anything apk would reject
        }
        return tokens;
    }
}
