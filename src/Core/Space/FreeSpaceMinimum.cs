using System.Globalization;

namespace Apkgen.Core.Space;

/// <summary>
/// <c>[change] min_free</c>: the free space a change needs before it starts. <c>auto</c>
/// (the default) is 1 GiB, or a tenth of the filesystem when that is less; a size (K, M, G,
/// T: powers of 1024; 0 turns the check off); or a percentage of the filesystem.
/// </summary>
public readonly record struct FreeSpaceMinimum
{
    /// <summary>The fixed part of <c>auto</c>: about what an upgrade of a kernel and its modules writes, twice.</summary>
    public const long AutoBytes = 1L << 30;

    FreeSpaceMinimum(long bytes, double percent, bool auto)
    {
        Bytes = bytes;
        Percent = percent;
        IsAuto = auto;
    }

    /// <summary>A fixed size in bytes (when neither auto nor a percentage).</summary>
    public long Bytes { get; }
    /// <summary>A percentage of the filesystem's size, or 0.</summary>
    public double Percent { get; }
    /// <summary>True for <c>auto</c>.</summary>
    public bool IsAuto { get; }

    /// <summary>The default, <c>auto</c>.</summary>
    public static FreeSpaceMinimum Auto => new(0, 0, true);

    /// <summary>True when the check is off (<c>min_free = 0</c>).</summary>
    public bool IsOff => !IsAuto && Bytes == 0 && Percent == 0;

    /// <summary>
    /// The minimum in bytes on a filesystem of <paramref name="size"/> raw bytes. <c>auto</c>
    /// caps 1 GiB at a tenth of the size, so a small disk (a 2 GiB VM, a test image) is not
    /// refused every change while it still has room for one.
    /// </summary>
    public long For(long size) =>
        IsAuto ? Math.Min(AutoBytes, size / 10)
        : Percent > 0 ? (long)(size * Percent / 100)
        : Bytes;

    /// <summary>Parses <c>auto</c>, <c>0</c>, <c>512M</c>, <c>1G</c>, <c>5%</c>; null when malformed.</summary>
    public static FreeSpaceMinimum? Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto;
        if (t.EndsWith('%'))
            return double.TryParse(t[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p >= 0 && p < 100
                ? new FreeSpaceMinimum(0, p, false) : null;
        var shift = char.ToUpperInvariant(t.Length > 0 ? t[^1] : ' ') switch
        {
            'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0,
        };
        var digits = shift == 0 ? t : t[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > (long.MaxValue >> shift)) return null;
        return new FreeSpaceMinimum(n << shift, 0, false);
    }

    /// <summary>As written in apkgen.conf.</summary>
    public override string ToString() =>
        IsAuto ? "auto" : Percent > 0 ? Percent.ToString(CultureInfo.InvariantCulture) + "%" : Bytes.ToString(CultureInfo.InvariantCulture);
}
