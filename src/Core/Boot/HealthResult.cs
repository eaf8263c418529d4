using System.Globalization;

namespace Apkgen.Core.Boot;

/// <summary>How one health check ended.</summary>
/// <param name="Name">File name in the health directory.</param>
/// <param name="ExitCode">Its exit code; null when it timed out or could not start.</param>
/// <param name="TimedOut">True when it ran past the timeout and was killed.</param>
/// <param name="Output">The end of what it printed (stdout and stderr), for the log.</param>
/// <param name="Elapsed">How long it ran (with the kill, when it timed out).</param>
/// <param name="Timeout">The limit it had.</param>
public sealed record HealthResult(string Name, int? ExitCode, bool TimedOut, string Output, TimeSpan Elapsed, TimeSpan Timeout = default)
{
    /// <summary>True when it exited 0 in time.</summary>
    public bool Passed => ExitCode == 0 && !TimedOut;

    /// <summary>One line: which check, and how it failed.</summary>
    public string Describe() =>
        TimedOut ? $"health check {Name} timed out after {(Timeout > TimeSpan.Zero ? Timeout : Elapsed).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s and was killed"
        : ExitCode is { } c ? $"health check {Name} exited with {c}" + (Output.Length > 0 ? $" ({LastLine(Output)})" : "")
        : $"health check {Name} could not start ({Output})";

    static string LastLine(string s) => s.TrimEnd().Split('\n')[^1].Trim();
}
