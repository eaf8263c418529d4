namespace Apkgen.Core;

/// <summary>
/// The one exception type apkgen throws for failures the user can act on. The top-level
/// handler of each executable prints <c>apkgen: error: Message</c>, then <see cref="Remedy"/>,
/// and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class ApkgenException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What happened, one line.</param>
    /// <param name="remedy">What the user can do about it, one line.</param>
    /// <param name="exitCode">One of <see cref="ExitCodes"/>.</param>
    /// <param name="inner">The underlying failure, shown only with --verbose.</param>
    public ApkgenException(string message, string remedy, int exitCode = ExitCodes.Failure, Exception? inner = null)
        : base(message, inner)
    {
        Remedy = remedy;
        ExitCode = exitCode;
    }

    /// <summary>What the user can do about it.</summary>
    public string Remedy { get; }

    /// <summary>The process exit code for this failure.</summary>
    public int ExitCode { get; }
}

/// <summary>
/// Exit codes of apkgen's own failures (sysexits.h values, documented in apkgen(8)). A change
/// that runs inside a transaction (apk, exec, shell) exits with its own code instead.
/// </summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Bad command line.</summary>
    public const int Usage = 64;
    /// <summary>Bad input: unknown generation or slot, broken layout, not btrfs.</summary>
    public const int DataError = 65;
    /// <summary>No apkgen layout on the device.</summary>
    public const int NoLayout = 66;
    /// <summary>An internal failure: a system call or tool failed unexpectedly.</summary>
    public const int Failure = 70;
    /// <summary>
    /// A change was refused before it started: less free space than <c>[change] min_free</c>
    /// (EX_UNAVAILABLE: the resource it needs is not there; distinct from a disk that filled up during a change).
    /// </summary>
    public const int BelowMinFree = 69;
    /// <summary>The filesystem is full.</summary>
    public const int NoSpace = 73;
    /// <summary>Another apkgen run holds the lock and --wait ran out.</summary>
    public const int Busy = 75;
    /// <summary>Not allowed: not root, or the operation would break an invariant.</summary>
    public const int NoPermission = 77;
    /// <summary>The configuration file is malformed.</summary>
    public const int Config = 78;
    // A stop signal (SIGHUP, SIGINT, SIGTERM) exits 128 + its number: Interruption.ExitCodeFor.
}
