using System.Buffers;
using System.Globalization;
using System.Text;

namespace Apkgen.Core.Files;

/// <summary>
/// File names are bytes; .NET strings are UTF-16. A name that is not UTF-8 must still be
/// opened again, compared and shown, so each byte that does not decode becomes a lone low
/// surrogate U+DC80..U+DCFF (Python's "surrogateescape", PEP 383), which no valid UTF-8 can
/// produce, and goes back to the same byte when encoded. Distinct byte names stay distinct strings.
/// </summary>
public static class RawNames
{
    /// <summary>The bytes as a string, invalid UTF-8 bytes kept as U+DC80 + byte.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var used) == OperationStatus.Done)
            {
                sb.Append(rune.ToString());
                bytes = bytes[used..];
            }
            else
            {
                sb.Append((char)(0xDC00 + bytes[0]));
                bytes = bytes[1..];
            }
        }
        return sb.ToString();
    }

    /// <summary>The name's bytes: the inverse of <see cref="Decode"/>.</summary>
    public static byte[] Encode(string name)
    {
        var bytes = new List<byte>(name.Length + 4);
        Span<byte> buf = stackalloc byte[4];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is >= '\uDC80' and <= '\uDCFF') { bytes.Add((byte)(c - 0xDC00)); continue; }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1])) rune = new Rune(c, name[++i]);
            else if (char.IsSurrogate(c)) rune = Rune.ReplacementChar;
            else rune = new Rune(c);
            var n = rune.EncodeToUtf8(buf);
            for (var k = 0; k < n; k++) bytes.Add(buf[k]);
        }
        return [.. bytes];
    }

    /// <summary>
    /// A path as it may reach a terminal: a byte that is not UTF-8 as <c>\xNN</c>, control
    /// characters and the backslash escaped as <see cref="Printable.Escape"/> does, so a name
    /// with a newline cannot forge a line of output.
    /// </summary>
    public static string Printable(string path)
    {
        var sb = new StringBuilder(path.Length + 8);
        var start = 0;
        for (var i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] is not (>= '\uDC80' and <= '\uDCFF')) continue;
            if (i > start) sb.Append(Apkgen.Core.Printable.Escape(path[start..i]));
            if (i < path.Length) sb.Append("\\x").Append(((int)path[i] - 0xDC00).ToString("x2", CultureInfo.InvariantCulture));
            start = i + 1;
        }
        return sb.ToString();
    }
}
