using Apkgen.Core.Edge;

namespace Apkgen.Core.Boot;

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
    public static HealthReport Run(IProcessRunner processes, string dirPath, TimeSpan timeout, Action<HealthResult>? progress = null)
    {
        var results = new List<HealthResult>();
        foreach (var path in Find(dirPath))
        {
            var result = Refusal(dirPath, path) ?? RunOne(processes, path, timeout);
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

    static HealthResult RunOne(IProcessRunner processes, string path, TimeSpan timeout)
    {
        var name = Path.GetFileName(path);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var run = processes.RunWithTimeout(new ProcessSpec(path, [], WorkingDirectory: "/"), timeout);
            return new(name, run.ExitCode, run.TimedOut, Tail(run.Output), clock.Elapsed, timeout);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return new(name, null, false, e.Message, clock.Elapsed, timeout);
        }
    }

    static string Tail(string s) => s.Length <= OutputLimit ? s : s[^OutputLimit..];
}
