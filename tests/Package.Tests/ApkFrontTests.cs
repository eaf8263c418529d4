namespace Apkgen.Package.Tests;

/// <summary>
/// The packaged apkgen, run as <c>apk</c>: read-only command lines reach the real apk from the
/// native front (src/Hooks/native/apk-front.c) before the .NET runtime starts, and everything
/// else, and every doubt, from the managed Main. Which one ran is read from strace: the
/// managed side reads /proc/self/cmdline first of all, the front never does.
/// </summary>
[Collection(PackageBuildCollection.Name)]
public sealed class ApkFrontTests : IDisposable
{
    readonly PackageBuild _build;
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-front-").FullName;
    readonly string _apk, _realApk, _config, _trace;

    public ApkFrontTests(PackageBuild build)
    {
        _build = build;
        build.AssertBuilt();
        _apk = Path.Combine(_dir, "apk");
        File.CreateSymbolicLink(_apk, Path.Combine(build.PackageDirPath("apkgen"), "usr/bin/apkgen"));
        // Stands in for apk-tools: says how it was called.
        _realApk = Path.Combine(_dir, "real-apk");
        File.WriteAllText(_realApk, "#!/bin/sh\necho \"real apk: $*\"\n");
        File.SetUnixFileMode(_realApk, (UnixFileMode)Convert.ToInt32("755", 8));
        _config = Path.Combine(_dir, "apkgen.conf");
        _trace = Path.Combine(_dir, "trace");
    }

    /// Runs `apk ARGS` (the packaged apkgen through a link named apk) under strace.
    async Task<(Tool.Result Result, bool ManagedRan, bool RealApkRan)> Apk(string config, params string[] args)
    {
        File.WriteAllText(_config, config);
        var result = await Tool.RunAsync("strace",
            ["-f", "-qq", "-e", "trace=openat,execve", "-o", _trace, "-E", $"APKGEN_CONFIG={_config}", _apk, .. args]);
        var trace = File.ReadAllText(_trace);
        return (result, trace.Contains("\"/proc/self/cmdline\""), trace.Contains($"execve(\"{_realApk}\""));
    }

    string Config(string extra = "") => $"# apkgen.conf for the front's tests\n{extra}[apk]\npath = {_realApk}\n";

    [Theory]
    [InlineData("info", "nginx")]
    [InlineData("-v", "search", "-x", "musl")]
    [InlineData("--root", "/mnt", "add", "x")]
    [InlineData("add", "--help")]
    [InlineData("--version")]
    public async Task A_read_only_command_line_reaches_the_real_apk_before_the_runtime_starts(params string[] args)
    {
        var (result, managed, real) = await Apk(Config(), args);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal($"real apk: {string.Join(' ', args)}\n", result.StandardOutput);
        Assert.True(real, "the real apk was not executed");
        Assert.False(managed, "the .NET side ran: the native front did not hand this line over");
    }

    [Fact]
    public async Task A_configuration_the_front_does_not_read_with_certainty_goes_to_the_managed_side_with_the_same_result()
    {
        var (result, managed, real) = await Apk(Config("# gérée par apkgen\n"), "info", "nginx");
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("real apk: info nginx\n", result.StandardOutput);
        Assert.True(real && managed, $"managed side ran: {managed}, real apk ran: {real}");
    }

    [Fact]
    public async Task A_change_goes_to_the_managed_side_and_never_reaches_the_real_apk_directly()
    {
        var (result, managed, real) = await Apk(Config("[layout]\ndevice = /nonexistent/apkgen-front-test\n"), "add", "nginx");
        Assert.True(managed, "a change did not reach the managed side");
        Assert.False(real, "a change ran the real apk directly, outside a snapshot");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/apkgen-front-test", result.StandardError);
    }

    [Fact]
    public async Task A_real_apk_that_cannot_run_is_reported_by_the_managed_side()
    {
        var (result, managed, _) = await Apk("[apk]\npath = /nonexistent/apk\n", "info");
        Assert.True(managed, "the managed side did not take over after the failed exec");
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("cannot run the real apk", result.StandardError);
    }

    [Fact]
    public async Task A_real_apk_path_that_leads_back_to_apkgen_is_refused_instead_of_running_for_ever()
    {
        var (result, managed, _) = await Apk($"[apk]\npath = {_apk}\n", "info");
        Assert.True(managed, "the native front did not leave the refusal to the managed side");
        Assert.Equal(78, result.ExitCode);
        Assert.Contains("is apkgen itself", result.StandardError);
    }

    [Fact]
    public async Task Without_proc_a_real_apk_path_that_leads_back_to_apkgen_stops_after_one_round()
    {
        // A chroot without /proc: neither side can resolve /proc/self/exe; the exec'd
        // process recognises its own pid in APKGEN_EXEC_PID and refuses.
        File.WriteAllText(_config, $"[apk]\npath = {_apk}\n");
        var result = await Tool.RunAsync("unshare",
            ["-m", "sh", "-c", $"umount -l /proc && APKGEN_CONFIG={_config} exec {_apk} info"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 78, result.Describe());
        Assert.Contains("is apkgen itself", result.StandardError);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
