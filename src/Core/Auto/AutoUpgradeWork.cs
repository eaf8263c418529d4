namespace Apkgen.Core.Auto;

/// <summary>What a run of <c>apkgen auto-upgrade</c> does before any reboot.</summary>
public enum AutoUpgradeWork
{
    /// <summary>Nothing (policy none, not due, or a staged generation waits and stacking is off).</summary>
    None,
    /// <summary>Refresh the indexes and simulate the upgrade in a throwaway snapshot; report the count.</summary>
    Check,
    /// <summary>Run <c>apk -U upgrade</c> through the change path: a new generation if anything is upgraded.</summary>
    Stage,
}
