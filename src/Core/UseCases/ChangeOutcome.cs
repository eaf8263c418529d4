namespace Apkgen.Core.UseCases;

/// <summary>How a change ended.</summary>
public enum ChangeOutcome
{
    /// <summary>A new generation was committed.</summary>
    Committed,
    /// <summary>The change altered nothing; the snapshot was dropped.</summary>
    NoChange,
    /// <summary>The change exited non-zero; the snapshot was dropped.</summary>
    Failed,
    /// <summary>A stop signal arrived; the snapshot was dropped.</summary>
    Interrupted,
}
