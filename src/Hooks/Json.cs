using System.Globalization;
using System.Text;

namespace Apkgen.Hooks;

/// <summary>
/// A minimal JSON writer for `apkgen list --json`. System.Text.Json's writer would do, but
/// it adds about 300 KB to a Native AOT binary that must stay small (bench/: at most 4 MB).
/// </summary>
sealed class Json
{
    readonly StringBuilder _sb = new();
    readonly Stack<bool> _first = new();
    int Depth => _first.Count;

    public override string ToString() => _sb.ToString();

    void Separate()
    {
        if (_first.Count == 0) return;
        if (!_first.Peek()) _sb.Append(',');
        _first.Pop();
        _first.Push(false);
        _sb.Append('\n').Append(' ', Depth * 2);
    }

    void Open(char c)
    {
        _sb.Append(c);
        _first.Push(true);
    }

    void Close(char c)
    {
        var empty = _first.Pop();
        if (!empty) _sb.Append('\n').Append(' ', Depth * 2);
        _sb.Append(c);
    }

    void Key(string name)
    {
        Separate();
        String(name);
        _sb.Append(": ");
    }

    public Json StartArray(string? name = null)
    {
        if (name is null) Separate(); else Key(name);
        Open('[');
        return this;
    }

    public Json EndArray()
    {
        Close(']');
        return this;
    }

    public Json StartObject(string? name = null)
    {
        if (name is null) Separate(); else Key(name);
        Open('{');
        return this;
    }

    public Json EndObject()
    {
        Close('}');
        return this;
    }

    public Json Value(string name, string? value)
    {
        Key(name);
        if (value is null) _sb.Append("null"); else String(value);
        return this;
    }

    public Json Value(string name, bool value)
    {
        Key(name);
        _sb.Append(value ? "true" : "false");
        return this;
    }

    public Json Value(string name, long? value)
    {
        Key(name);
        _sb.Append(value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null");
        return this;
    }

    public Json Item(string value)
    {
        Separate();
        String(value);
        return this;
    }

    public Json Item(int value)
    {
        Separate();
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    void String(string s)
    {
        _sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                default:
                    // DEL and the C1 controls too: a terminal showing the JSON takes U+009B as CSI.
                    // A lone surrogate too (a file name's byte that is not UTF-8, RawNames): as UTF-8 it would become U+FFFD.
                    if (char.IsControl(c) || LoneSurrogate(s, i)) _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else _sb.Append(c);
                    break;
            }
        }
        _sb.Append('"');
    }

    static bool LoneSurrogate(string s, int i) => char.IsSurrogate(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        && !(char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1]));
}
