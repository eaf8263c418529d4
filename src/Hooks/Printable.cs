using System.Globalization;
using System.Text;

namespace Apkgen.Hooks;

/// <summary>
/// Text from the layout (directory names, generation.ini, apk's database) as it may reach a
/// terminal: a generation id is any directory name, so it can hold ESC or a newline that would
/// move the cursor, recolour the screen or forge a line of output. Control characters become
/// C-style escapes (<c>\e</c>, <c>\n</c>, <c>\x7f</c>), and a backslash is doubled so the
/// result reads one way only.
/// </summary>
static class Printable
{
    public static string Escape(string? text)
    {
        if (text is null) return "";
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i])) i++;
        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsEscape(c)) { sb.Append(c); continue; }
            sb.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\x1b' => @"\e",
                _ => c <= 0xff ? @"\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture) : @"\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }

    // C0, DEL and C1 controls (U+0080-U+009F: a terminal takes U+009B as CSI), and the backslash.
    static bool NeedsEscape(char c) => c == '\\' || char.IsControl(c);
}
