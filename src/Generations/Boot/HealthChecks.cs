using System.Diagnostics;
using System.Globalization;
using System.Text;
using CliWrap;

namespace Apkgen.Generations.Boot;

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

/// <summary>
/// Runs the executables of <c>[bootcheck] health_dir</c> in name order (ordinal), each with
/// the timeout: a check still running then is killed with its process tree and counts as
/// failed, so a hung check never hangs the boot. The first failure stops the run: what is
/// decided does not change with more failures, and the boot is waiting.
/// </summary>
public static class HealthChecks
{
    const int OutputLimit = 4096;

    /// <summary>The checks that would run: regular executable files, not hidden, not editor backups.</summary>
    public static IReadOnlyList<string> Find(string dirPath)
    {
        if (!Directory.Exists(dirPath)) return [];
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(dirPath))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || name.EndsWith('~') || name.EndsWith(".disabled", StringComparison.Ordinal)) continue;
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0) continue;
            found.Add(path);
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Runs the checks; <paramref name="progress"/> hears about each as it ends.</summary>
    public static HealthReport Run(string dirPath, TimeSpan timeout, Action<HealthResult>? progress = null)
    {
        var results = new List<HealthResult>();
        foreach (var path in Find(dirPath))
        {
            var result = Refusal(dirPath, path) ?? RunOne(path, timeout);
            results.Add(result);
            progress?.Invoke(result);
            if (!result.Passed) break;
        }
        return new HealthReport(results);
    }

    /// <summary>
    /// A check that runs as root must be root's: one that its group or every user may write,
    /// or that root does not own, or in such a directory, is refused (not run) and fails,
    /// saying which file and why; otherwise whoever can write it decides what root runs.
    /// </summary>
    static HealthResult? Refusal(string dirPath, string path)
    {
        var name = Path.GetFileName(path);
        var why = Configuration.TrustedFile.Distrust(dirPath) is { } dir ? $"its directory {dirPath}: {dir}"
            : Configuration.TrustedFile.Distrust(path) is { } file ? $"{path}: {file}"
            : null;
        return why is null ? null : new(name, null, false, $"refused, not run: {why}; make it owned by root and writable by root only", TimeSpan.Zero);
    }

    static HealthResult RunOne(string path, TimeSpan timeout)
    {
        var name = Path.GetFileName(path);
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // Forceful cancellation kills the check and its children (Process.Kill(true)).
            var result = Cli.Wrap(path)
                .WithValidation(CommandResultValidation.None)
                .WithWorkingDirectory("/")
                .WithStandardInputPipe(PipeSource.Null)
                .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
                .ExecuteAsync(cts.Token).Task.GetAwaiter().GetResult();
            return new(name, result.ExitCode, false, Tail(output), clock.Elapsed, timeout);
        }
        catch (OperationCanceledException)
        {
            return new(name, null, true, Tail(output), clock.Elapsed, timeout);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new(name, null, false, e.Message, clock.Elapsed, timeout);
        }
    }

    static string Tail(StringBuilder sb)
    {
        var s = sb.ToString();
        return s.Length <= OutputLimit ? s : s[^OutputLimit..];
    }
}
