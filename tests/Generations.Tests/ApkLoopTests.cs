using System.Diagnostics;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 12 case 8: <c>[apk] path</c> naming a script that runs <c>apk "$@"</c> through PATH,
/// where apk is the wrapper, came back with a new pid every round (the pid guard sees only
/// exec of itself) and ran without bound. The wrapper counts its rounds in the environment.
/// </summary>
public sealed class ApkLoopTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-loop-").FullName;

    (int Code, string Output, TimeSpan Took) RunLoop(string wrapper, params string[] args)
    {
        var bin = Path.Combine(_dir, "bin");
        Directory.CreateDirectory(bin);
        var link = Path.Combine(bin, "apk");
        if (new FileInfo(link).LinkTarget is null) File.CreateSymbolicLink(link, wrapper);
        var script = Path.Combine(_dir, "my-apk");
        File.WriteAllText(script, "#!/bin/sh\napk \"$@\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var conf = Path.Combine(_dir, "apkgen.conf");
        File.WriteAllText(conf, $"[apk]\npath = {script}\n");
        var watch = Stopwatch.StartNew();
        var (code, output) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = conf, ["PATH"] = bin + ":/usr/bin:/bin" }, null, link, args);
        return (code, output, watch.Elapsed);
    }

    [Fact]
    public void A_real_apk_path_script_that_runs_apk_through_path_stops_with_the_config_exit_code()
    {
        var (code, output, took) = RunLoop(Path.ChangeExtension(ApkgenCli.BuildOutput("Hooks", "apkgen"), null), "info");
        Assert.True(code == 78, $"exit {code} after {took}:\n{output}");
        Assert.Contains("ran the wrapper again", output);
        Assert.True(took < TimeSpan.FromSeconds(60), $"took {took}");
    }

    [Fact]
    [Trait("Category", "RealApk")] // publishes the static apkgen, as the real-apk tests do
    public void The_native_front_of_the_published_apkgen_bounds_the_same_loop()
    {
        var (code, output, took) = RunLoop(Path.Combine(StaticApkgen.Dir, "apkgen"), "info");
        Assert.True(code == 78, $"exit {code} after {took}:\n{output}");
        Assert.Contains("ran the wrapper again", output);
        Assert.True(took < TimeSpan.FromSeconds(30), $"took {took}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
