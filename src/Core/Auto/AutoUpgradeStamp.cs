using System.Globalization;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;

namespace Apkgen.Core.Auto;

/// <summary>
/// The last due run of <c>apkgen auto-upgrade</c>: <c>TOP/.apkgen-auto-upgrade</c> on the btrfs
/// top level, beside the lock. The top level is shared by every generation and is not
/// snapshotted (DESIGN, "On-disk layout"), so the stamp survives reboots, upgrades and
/// rollbacks, where <c>/var/lib</c> of a generation would go back in time with it.
/// </summary>
/// <param name="LastRunUtc">When.</param>
/// <param name="Result">What it did, one line.</param>
public sealed record AutoUpgradeStamp(DateTime LastRunUtc, string Result)
{
    /// <summary>The file name on the top level.</summary>
    public const string FileName = ".apkgen-auto-upgrade";

    /// <summary>Its path on <paramref name="top"/>.</summary>
    public static string FilePath(TopLevel top) => Path.Combine(top.TopDirPath, FileName);

    /// <summary>The file's text.</summary>
    public string Render() =>
        "# apkgen auto-upgrade: the last due run (apkgen(8), AUTO-UPGRADE)\n"
        + $"[auto-upgrade]\nlast_run = {LastRunUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\nresult = {Result.ReplaceLineEndings(" ")}\n";

    /// <summary>Parses the file's text; null when it holds no readable time (then the run is due, as if never run).</summary>
    public static AutoUpgradeStamp? Parse(string text)
    {
        IniDocument doc;
        try { doc = IniDocument.Parse(text); }
        catch (FormatException) { return null; }
        return DateTime.TryParseExact(doc.Get("auto-upgrade", "last_run"), "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new AutoUpgradeStamp(t, doc.Get("auto-upgrade", "result") ?? "")
            : null;
    }
}
