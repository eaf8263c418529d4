using System.Globalization;
using Apkgen.Core.Auto;

namespace Apkgen.Core.Configuration;

/// <summary>[auto]: unattended upgrades (<c>apkgen auto-upgrade</c>, run hourly by busybox crond from /etc/periodic/hourly).</summary>
public sealed record AutoSection
{
    /// <summary>The default of <see cref="Window"/>.</summary>
    public const string DefaultWindow = "03:00-05:00";

    /// <summary><c>none</c> (off), <c>check</c> (report upgrades, change nothing), <c>stage</c> (make the generation), <c>reboot</c> (stage, then reboot in the window).</summary>
    public string Policy { get; init; } = "none";
    /// <summary>Local time of day when policy reboot may reboot.</summary>
    public UpgradeWindow Window { get; init; } = UpgradeWindow.Parse(DefaultWindow)!.Value;
    /// <summary>How long after the last run the next check or stage is due.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromDays(1);
    /// <summary>Whether a new generation may be staged on top of one that has not been booted yet.</summary>
    public bool Stack { get; init; }

    internal static AutoSection Read(ConfigReader r)
    {
        var window = r.String("window", DefaultWindow);
        var interval = r.String("interval", "1d");
        return new()
        {
            Policy = r.Choice("policy", "none", "none", "check", "stage", "reboot"),
            Window = UpgradeWindow.Parse(window)
                ?? throw new ApkgenException($"[auto] window = '{Printable.Escape(window)}' is not a time window HH:MM-HH:MM",
                    "write it as e.g. 03:00-05:00 (local time; 23:00-01:00 crosses midnight, 00:00-24:00 is any time)", ExitCodes.Config),
            Interval = ParseInterval(interval)
                ?? throw new ApkgenException($"[auto] interval = '{Printable.Escape(interval)}' is not a duration from 1m to 365d",
                    "write a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 1d or 12h", ExitCodes.Config),
            Stack = r.Bool("stack", false),
        };
    }

    /// <summary><c>N</c> followed by m, h, d or w (e.g. <c>1d</c>, <c>12h</c>); null when malformed or outside 1 minute to 365 days.</summary>
    public static TimeSpan? ParseInterval(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.Length < 2 || !int.TryParse(t.AsSpan(0, t.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return null;
        TimeSpan? span = t[^1] switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7.0 * n),
            _ => null,
        };
        return span is { } s && s >= TimeSpan.FromMinutes(1) && s <= TimeSpan.FromDays(365) ? s : null;
    }
}
