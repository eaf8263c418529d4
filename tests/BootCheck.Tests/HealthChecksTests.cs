using System.Diagnostics;
using Apkgen.Core.Boot;
using Apkgen.Core.Linux;
using Apkgen.TestSupport;

namespace Apkgen.BootCheck.Tests;

/// <summary>The health check runner against real scripts (as CliWrap tests against real processes).</summary>
public sealed class HealthChecksTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-health-").FullName;
    // The real adapter: the checks are real scripts, and the kill at the timeout is real.
    static readonly ProcessRunner Runner = new();

    void Check(string name, string script, bool executable = true)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        if (executable) File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
    }

    [Fact]
    public void Checks_run_in_name_order_and_only_executables_count()
    {
        var log = Path.Combine(_dir, "order.log");
        Check("20-second", $"echo 20 >> {log}");
        Check("10-first", $"echo 10 >> {log}");
        Check("15-not-executable", "exit 1", executable: false);
        Check(".hidden", "exit 1");
        Check("30-backup~", "exit 1");
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(10));
        Assert.True(report.Passed);
        Assert.Equal(["10-first", "20-second"], report.Results.Select(r => r.Name));
        Assert.Equal("10\n20\n", File.ReadAllText(log));
    }

    [Fact]
    public void The_first_failure_stops_the_run_and_names_the_check_and_its_last_line()
    {
        Check("10-fail", "echo checking; echo 'disk /data missing' >&2; exit 4");
        Check("20-never", "exit 0");
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(10));
        Assert.False(report.Passed);
        Assert.Single(report.Results);
        Assert.Equal("health check 10-fail exited with 4 (disk /data missing)", report.FirstFailure!.Describe());
    }

    [Fact]
    public void A_hung_check_and_its_children_are_killed_at_the_timeout()
    {
        var marker = "apkgen-hung-check-" + Guid.NewGuid().ToString("N");
        Check("10-hang", $"exec sh -c 'sleep 300; : {marker}'");
        var clock = Stopwatch.StartNew();
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var r = Assert.Single(report.Results);
        Assert.True(r.TimedOut);
        Assert.Equal("health check 10-hang timed out after 1 s and was killed", r.Describe());
        // SIGKILL is sent before Run returns; give a loaded machine time to deliver it.
        var gone = Stopwatch.StartNew();
        while (Sh.Try("pgrep", "-f", marker).Code != 1 && gone.Elapsed < TimeSpan.FromSeconds(5)) // 1: no match
            Thread.Sleep(50);
        Assert.Equal(1, Sh.Try("pgrep", "-f", marker).Code);
    }

    [Fact]
    public void A_missing_directory_has_no_checks_and_passes()
    {
        var report = HealthChecks.Run(Runner, Path.Combine(_dir, "absent"), TimeSpan.FromSeconds(1));
        Assert.True(report.Passed);
        Assert.Empty(report.Results);
    }

    [Theory]
    [InlineData(0x1FF, "writable by every user (mode 0777)")] // 0777
    [InlineData(0x1FD, "writable by its group (mode 0775)")]  // 0775
    public void A_check_others_may_write_is_refused_not_run_and_fails_naming_the_file_and_why(int mode, string why)
    {
        var marker = Path.Combine(_dir, "ran");
        Check("10-open", $"touch {marker}");
        var path = Path.Combine(_dir, "10-open");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(marker), "the check ran");
        Assert.False(report.Passed);
        var r = Assert.Single(report.Results);
        Assert.Contains($"refused, not run: {path}: it is {why}", r.Describe());
    }

    [Fact]
    public void A_check_not_owned_by_root_is_refused_not_run()
    {
        Sh.RequireRoot();
        var marker = Path.Combine(_dir, "ran");
        Check("10-nobody", $"touch {marker}");
        Sh.Run("chown", "65534:65534", Path.Combine(_dir, "10-nobody"));
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(marker), "the check ran");
        Assert.Contains("it is owned by uid 65534, not root", Assert.Single(report.Results).Describe());
    }

    [Fact]
    public void Checks_in_a_directory_every_user_may_write_are_refused_not_run()
    {
        var marker = Path.Combine(_dir, "ran");
        Check("10-fine", $"touch {marker}");
        File.SetUnixFileMode(_dir, (UnixFileMode)0x3FF); // 1777, as /tmp: sticky does not stop new files
        var report = HealthChecks.Run(Runner, _dir, TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(marker), "the check ran");
        Assert.Contains($"its directory {_dir}: it is writable by every user", Assert.Single(report.Results).Describe());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
