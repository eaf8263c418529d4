using Apkgen.Core.Space;

namespace Apkgen.Core.Configuration;

/// <summary>[change]: what every change (apk, exec, shell) checks before it starts.</summary>
public sealed record ChangeSection
{
    /// <summary>The free space a change needs before its snapshot is made (issue 17, part 4).</summary>
    public FreeSpaceMinimum MinFree { get; init; } = FreeSpaceMinimum.Auto;

    internal static ChangeSection Read(ConfigReader r)
    {
        var text = r.String("min_free", "auto");
        // The key's name once in a reader call: ConfigSampleTests finds the keys that way.
        const string key = "min_free";
        var parsed = FreeSpaceMinimum.Parse(text)
            ?? throw r.Invalid(key, text, "auto, a size (e.g. 1G, 512M, 0) or a percentage below 100 (e.g. 5%)");
        return new() { MinFree = parsed };
    }
}
