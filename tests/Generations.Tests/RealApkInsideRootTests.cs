using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// apkgen run from inside the Alpine root, as on a booted Alpine system: the statically
/// linked apkgen (scripts/publish --static) installed into the root as the package lays it
/// out (/usr/sbin/apkgen, /usr/local/sbin/apk first in PATH, /etc/apkgen.conf) and run
/// chrooted, with the kit's repository over http://127.0.0.1 (a host path does not exist in
/// the chroot).
/// </summary>
[Trait("Category", "RealApk")]
public sealed class RealApkInsideRootTests : IDisposable
{
    readonly KitHttpServer _http = KitHttpServer.Start();

    static readonly Dictionary<string, string> AlpinePath = new() { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

    /// <summary>The static apkgen, chrooted into the system's slot 0, as the user of the booted system would run it.</summary>
    static (int Code, string Output) Inside(RealAlpineSystem s, string? stdin, params string[] command) =>
        Sh.TryIn(AlpinePath, stdin, "chroot", [s.Slot0Root, .. command]);

    [Fact]
    public void The_static_apkgen_runs_inside_the_alpine_root()
    {
        using var s = RealAlpineSystem.Create(_http.RepositoryUrl(), apkgenInside: true);
        var (code, output) = Inside(s, null, "/usr/sbin/apkgen", "--version");
        Assert.True(code == 0, output);
        var (acode, aoutput) = Inside(s, null, "apk", "--version");
        Assert.True(acode == 0, aoutput);
        Assert.StartsWith("apk-tools 2.14.4", aoutput); // the root's own /sbin/apk, through the wrapper's pass-through
    }

    [Fact]
    public void Apk_add_inside_apkgen_exec_reaches_the_real_apk_not_the_wrapper_again()
    {
        using var s = RealAlpineSystem.Create(_http.RepositoryUrl(), apkgenInside: true);
        // The command apkgen init advises; apk in the snapshot is /usr/local/sbin/apk, the wrapper.
        var (code, output) = s.Apkgen("exec", "--", "apk", "add", "linux-lts");
        Assert.True(code == 0, $"apkgen exec -- apk add linux-lts exited {code}:\n{output}");
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "boot/vmlinuz-lts")), output);
        Assert.Contains("[kernels]\nlts = 6.6.52-r0", s.Ini(s.Slot(0)));
        Assert.Contains("linux-lts", File.ReadAllText(Path.Combine(s.Slot0Root, "etc/apk/world")));
    }

    [Fact]
    public void Apk_add_typed_in_apkgen_shell_reaches_the_real_apk()
    {
        using var s = RealAlpineSystem.Create(_http.RepositoryUrl(), apkgenInside: true);
        var (code, output) = Sh.TryIn(null, "apk add hello\nexit\n", "dotnet", ApkgenCli.BuildOutput("Hooks", "apkgen"), "--config", s.ConfigPath, "shell");
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")), output);
        Assert.Contains("hello", File.ReadAllText(Path.Combine(s.Slot0Root, "etc/apk/world")));
    }

    public void Dispose() => _http.Dispose();
}
