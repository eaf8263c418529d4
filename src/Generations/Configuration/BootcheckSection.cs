namespace Apkgen.Generations.Configuration;

/// <summary>[bootcheck]: boot assessment (apkgen-bootcheck(8)).</summary>
public sealed record BootcheckSection
{
    /// <summary><c>counter</c> (any firmware) or <c>trial</c> (UEFI BootNext).</summary>
    public string Mode { get; init; } = "counter";
    /// <summary>Boot attempts a pending generation gets in counter mode.</summary>
    public int Attempts { get; init; } = 3;

    internal static BootcheckSection Read(ConfigReader r) => new()
    {
        Mode = r.Choice("mode", "counter", "counter", "trial"),
        Attempts = r.Int("attempts", 3, 1, 100),
    };
}
