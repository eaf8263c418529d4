namespace Apkgen.Core.Edge;

/// <summary>What a run with a time limit produced (<see cref="IProcessRunner.RunWithTimeout"/>).</summary>
/// <param name="ExitCode">The exit code; null when the limit was reached and the process tree was killed.</param>
/// <param name="Output">Standard output and standard error, interleaved as they were written.</param>
public sealed record LimitedRunResult(int? ExitCode, string Output)
{
    /// <summary>True when it ran past its limit and was killed.</summary>
    public bool TimedOut => ExitCode is null;
}
