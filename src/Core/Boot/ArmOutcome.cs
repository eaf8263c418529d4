namespace Apkgen.Core.Boot;

/// <summary>How arming a trial ended.</summary>
public enum ArmOutcome
{
    /// <summary>BootNext points at the trial entry: the next boot tries <c>pending</c> once.</summary>
    Armed,
    /// <summary>No UEFI (or no usable entry): <c>pending</c> became <c>current</c>, counted as in counter mode.</summary>
    FellBackToCounter,
}
