namespace Apkgen.Core.Configuration;

/// <summary><c>[bootcheck] mode</c>: how a new generation gets its first boots.</summary>
public enum BootcheckMode
{
    /// <summary><c>counter</c>: any firmware; the new generation is current with a number of boot attempts.</summary>
    Counter,
    /// <summary><c>trial</c>: UEFI BootNext; the new generation is pending and boots once through trial.conf.</summary>
    Trial,
}
