namespace Apkgen.Core.Configuration;

/// <summary><c>[bootcheck] on_failure</c>: what a failed health check does.</summary>
public enum HealthFailureAction
{
    /// <summary><c>reboot</c>: demote the generation and reboot into the next one.</summary>
    Reboot,
    /// <summary><c>warn</c>: only say so.</summary>
    Warn,
}
