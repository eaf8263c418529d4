using System.Globalization;

namespace Apkgen.Core.Model;

/// <summary>
/// Ids of snapshots and links directories, in the seed guide's form: UTC
/// <c>yyyyMMddHHmmss</c> followed by 8 random ASCII letters (e.g. <c>20210411212549sdBXyLxg</c>).
/// Directories named otherwise are still accepted as ids (a hand-made layout may use any
/// name); only their creation time is then unknown.
/// </summary>
public static class GenerationId
{
    const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>A new id for the given UTC time.</summary>
    public static string New(DateTime utcNow, Random random)
    {
        Span<char> suffix = stackalloc char[8];
        for (var i = 0; i < suffix.Length; i++)
            suffix[i] = Letters[random.Next(Letters.Length)];
        return utcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + new string(suffix);
    }

    /// <summary>True if the name is in the seed's form.</summary>
    public static bool IsSeedForm(string id) =>
        id.Length == 22 && id.AsSpan(0, 14).IndexOfAnyExceptInRange('0', '9') < 0
        && id.AsSpan(14).IndexOfAnyExcept(Letters) < 0;

    /// <summary>The creation time encoded in a seed-form id, or null.</summary>
    public static DateTime? CreatedAt(string id) =>
        IsSeedForm(id) && DateTime.TryParseExact(id.AsSpan(0, 14), "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    /// <summary>
    /// True if the name can be a directory under snapshots/ or links/: one path component,
    /// no dot-names, no slash. Guards every id that reaches a path from the command line.
    /// </summary>
    public static bool IsSafeName(string id) =>
        id.Length is > 0 and < 256 && id != "." && id != ".." && !id.Contains('/') && !id.Contains('\0');
}
