namespace Apkgen.Core.Configuration;

/// <summary>[gc]: garbage collection.</summary>
public sealed record GcSection
{
    /// <summary>Run gc after every successful commit.</summary>
    public bool Auto { get; init; } = true;

    internal static GcSection Read(ConfigReader r) => new() { Auto = r.Bool("auto", true) };
}
