namespace Apkgen.Core.Boot;

/// <summary>The health checks of one late check, in the order they ran.</summary>
public sealed record HealthReport(IReadOnlyList<HealthResult> Results)
{
    /// <summary>No checks (an empty or missing directory passes).</summary>
    public static readonly HealthReport None = new([]);

    /// <summary>True when every check passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>The first failed check, or null.</summary>
    public HealthResult? FirstFailure => Results.FirstOrDefault(r => !r.Passed);
}
