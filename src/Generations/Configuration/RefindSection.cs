namespace Apkgen.Generations.Configuration;

/// <summary>[refind]: the stanza file apkgen-refind writes (apkgen-refind(8)).</summary>
public sealed record RefindSection
{
    /// <summary>The stanza file on the ESP; null: rEFInd is not managed.</summary>
    public string? Output { get; init; }

    internal static RefindSection Read(ConfigReader r) => new() { Output = r.OptionalPath("output") };
}
