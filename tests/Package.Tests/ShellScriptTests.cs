namespace Apkgen.Package.Tests;

/// shellcheck on every shell script the package ships or builds with; syntax checks for the
/// zsh and fish completions.
public sealed class ShellScriptTests
{
    /// Each script with its shell and the checks it is excused from, each for a reason.
    public static TheoryData<string, string, string> ShellScripts()
    {
        var data = new TheoryData<string, string, string>
        {
            // SC2034: metadata variables (pkgver, depends, ...) are read by abuild, not by the file.
            // SC2154: srcdir, pkgdir, CARCH, ... are set by abuild before it calls the functions.
            // SC3043: aports' CODINGSTYLE allows `local`; abuild runs APKBUILDs with busybox ash.
            { "APKBUILD", "sh", "SC2034,SC2154,SC3043" },
            // apk runs package scripts with /bin/sh.
            { "apkgen.post-install", "sh", "" },
            { "apkgen.post-deinstall", "sh", "" },
            { "tests/package/deps/APKBUILD", "sh", "SC2034,SC2154" },
            { "tests/package/abuild-build.sh", "sh", "" },
            { "tests/package/in-root.sh", "sh", "" },
            { "scripts/abuild-real", "sh", "" },
        };
        // openrc-run scripts: SC2034 for description, command, ... which openrc-run reads;
        // SC3043 for `local`, which OpenRC's /bin/sh (busybox ash on Alpine) has.
        foreach (var f in Repository.Files("openrc", "*")) data.Add(f, "sh", "SC2034,SC3043");
        // apk runs commit hooks with /bin/sh, chrooted, with only PATH set.
        if (File.Exists(Repository.PathOf("apk-hooks/apkgen"))) data.Add("apk-hooks/apkgen", "sh", "");
        // busybox crond runs /etc/periodic/* with run-parts and /bin/sh.
        foreach (var f in Repository.Files("periodic", "*")) data.Add(f, "sh", "");
        foreach (var f in Repository.Files("completions", "*.bash")) data.Add(f, "bash", "");
        return data;
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public async Task Shellcheck_finds_nothing(string file, string shell, string excluded)
    {
        List<string> args = ["--shell", shell, "--external-sources", "--format", "gcc"];
        if (excluded.Length > 0) args.AddRange(["--exclude", excluded]);
        var result = await Tool.RunAsync("shellcheck", [.. args, file]);
        Assert.True(result.ExitCode == 0, $"shellcheck {string.Join(' ', args)} {file}: {result.Describe()}");
    }

    public static TheoryData<string> ZshCompletions => new(Repository.Files("completions", "*.zsh"));
    public static TheoryData<string> FishCompletions => new(Repository.Files("completions", "*.fish"));

    [Theory]
    [MemberData(nameof(ZshCompletions))]
    public async Task The_zsh_completion_parses(string file)
    {
        var result = await Tool.RunAsync("zsh", ["-n", file]);
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"zsh -n {file}: {result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(FishCompletions))]
    public async Task The_fish_completion_parses(string file)
    {
        var result = await Tool.RunAsync("fish", ["--no-execute", file]);
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"fish --no-execute {file}: {result.Describe()}");
    }

    [Fact]
    public async Task The_post_install_script_prints_how_to_start_and_exits_0()
    {
        var result = await Tool.RunAsync("busybox", ["ash", "apkgen.post-install", "0.1.0-r0"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("apkgen init", result.StandardOutput);
        Assert.Contains("rc-update add", result.StandardOutput);
        Assert.DoesNotMatch(@"(?m)^\s*rc-update\b", Repository.Read("apkgen.post-install"));
    }

    [Fact]
    public void The_post_install_script_says_how_to_enable_every_packaged_service()
    {
        var text = Repository.Read("apkgen.post-install");
        var services = Repository.Files("openrc", "*.initd").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.All(services, s => Assert.Matches($@"rc-update add {s} (boot|default|sysinit|shutdown)\b", text));
        Assert.Contains("rc-update add", text);
    }
}
