namespace Apkgen.Core.Configuration;

/// <summary>[layout]: which filesystem, how many slots, which commons.</summary>
public sealed record LayoutSection
{
    /// <summary>Block device of the btrfs to manage; null: the one holding <c>/</c>.</summary>
    public string? Device { get; init; }
    /// <summary>Number of slots per links generation (the guide uses 4).</summary>
    public int Links { get; init; } = 4;
    /// <summary>Commons subvolumes <c>apkgen init</c> creates (the guide's set).</summary>
    public IReadOnlyList<string> Commons { get; init; } = DefaultCommons;
    /// <summary>The guide's commons.</summary>
    public static readonly IReadOnlyList<string> DefaultCommons = ["@var@tmp", "@var@cache", "@var@log", "@home"];

    internal static LayoutSection Read(ConfigReader r) => new()
    {
        Device = r.OptionalPath("device"),
        Links = r.Int("links", 4, 2, 32),
        Commons = r.List("commons", DefaultCommons),
    };
}
