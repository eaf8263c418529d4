using System.Globalization;

namespace Apkgen.Core.Auto;

/// <summary>
/// A time of day range, local time, <c>HH:MM-HH:MM</c>: from the start (included) to the end
/// (excluded). An end before the start crosses midnight (<c>23:00-01:00</c>);
/// <c>00:00-24:00</c> is any time. Start and end equal is refused: it says nothing clear.
/// </summary>
/// <param name="StartMinute">Minutes after midnight, 0 to 1439.</param>
/// <param name="EndMinute">Minutes after midnight, 0 to 1440.</param>
public readonly record struct UpgradeWindow(int StartMinute, int EndMinute)
{
    /// <summary>Whether <paramref name="timeOfDay"/> is inside.</summary>
    public bool Contains(TimeOnly timeOfDay)
    {
        var m = timeOfDay.Hour * 60 + timeOfDay.Minute;
        return StartMinute < EndMinute
            ? m >= StartMinute && m < EndMinute
            : m >= StartMinute || m < EndMinute;
    }

    /// <summary>Parses <c>HH:MM-HH:MM</c>; null when malformed or empty.</summary>
    public static UpgradeWindow? Parse(string text)
    {
        var parts = text.Trim().Split('-');
        if (parts.Length != 2 || Minute(parts[0], allow24: false) is not { } start || Minute(parts[1], allow24: true) is not { } end || start == end)
            return null;
        return new UpgradeWindow(start, end);
    }

    static int? Minute(string text, bool allow24)
    {
        var hm = text.Trim().Split(':');
        if (hm.Length != 2 || hm[0].Length is < 1 or > 2 || hm[1].Length != 2
            || !int.TryParse(hm[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(hm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59)
            return null;
        if (h == 24 && m == 0 && allow24) return 1440;
        return h <= 23 ? h * 60 + m : null;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{StartMinute / 60:D2}:{StartMinute % 60:D2}-{EndMinute / 60:D2}:{EndMinute % 60:D2}";
}
