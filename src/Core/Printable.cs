using System.Globalization;
using System.Text;

namespace Apkgen.Core;

/// <summary>
/// Text from files or names shown on a terminal: control characters (ESC, newlines, C1),
/// and anything else that does not print, become <c>\xNN</c> / <c>\u{NNNN}</c>, so that what
/// apkgen prints cannot move the cursor, change colours or forge a line.
/// </summary>
public static class Printable
{
    /// <summary>The text with every non-printable character escaped (a backslash too, so the escape is unambiguous).</summary>
    public static string Escape(string text)
    {
        var clean = true;
        foreach (var c in text)
            if (!IsPrintable(c) || c == '\\') { clean = false; break; }
        if (clean) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == '\\') sb.Append("\\\\");
            else if (rune.Value < 0x80 && IsPrintable((char)rune.Value)) sb.Append((char)rune.Value);
            else if (rune.Value < 0x100 && !IsPrintableRune(rune)) sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
            else if (!IsPrintableRune(rune)) sb.Append("\\u{").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture)).Append('}');
            else sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    static bool IsPrintable(char c) => c is >= ' ' and < (char)0x7f;

    static bool IsPrintableRune(Rune r) => Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
