namespace Apkgen.Core.Model;

/// <summary>How a generation has fared at boot (DESIGN: boot assessment).</summary>
public enum BootState
{
    /// <summary>Committed, not yet booted well. Generations without metadata are never pending.</summary>
    Pending,
    /// <summary>Booted and passed the health checks, or made by hand before apkgen (no metadata).</summary>
    Good,
    /// <summary>Failed to boot or failed a health check; demoted out of slot 0.</summary>
    Bad,
}
