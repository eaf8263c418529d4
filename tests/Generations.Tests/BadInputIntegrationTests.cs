using System.Diagnostics;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Bad input, permissions and stop signals through the executables as built (issue 12,
/// cases 6, 9-13): one documented exit code per cause, messages in words, nothing echoed raw.
/// </summary>
public sealed class BadInputIntegrationTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-badinput-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static (int Code, string Output) Run(string project, string assembly, params string[] args) =>
        Sh.TryIn(null, null, "dotnet", [BuildOutput(project, assembly), .. args]);

    string Conf(string name, string text, int mode = 0x1A4 /* 0644 */)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    [Theory]
    [InlineData("Hooks", "apkgen", new[] { "frobnicate" })]
    [InlineData("Hooks", "apkgen", new[] { "rollback", "abc" })]
    [InlineData("Hooks", "apkgen", new[] { "exec" })]
    [InlineData("Hooks", "apkgen", new[] { "list", "--no-such-option" })]
    [InlineData("BootCheck", "apkgen-bootcheck", new[] { "frobnicate" })]
    [InlineData("Refind", "apkgen-refind", new[] { "--bogus" })]
    public void A_command_line_that_does_not_parse_exits_64_as_documented_with_the_reason(string project, string assembly, string[] args)
    {
        var (code, output) = Run(project, assembly, args);
        Assert.True(code == ExitCodes.Usage, $"exit {code}, expected 64:\n{output}");
        Assert.Contains($"{assembly}: error: ", output);
        Assert.Contains("--help' for the usage", output);
    }

    /// <summary>
    /// A FIFO as the configuration holds apkgen in its read (a stand-in for any read that does
    /// not end, outside a change): the signal must end it at once with 128 + its number.
    /// </summary>
    [Theory]
    [InlineData(2, 130, "status")]
    [InlineData(15, 143, "status")]
    [InlineData(1, 129, "status")]
    [InlineData(15, 143, "gc")]
    [InlineData(2, 130, "list")]
    public async Task A_stop_signal_outside_a_change_ends_apkgen_at_once_with_128_plus_the_signal(int signal, int expected, string verb)
    {
        var fifo = Path.Combine(_dir, "fifo.conf");
        Sh.Run("mkfifo", fifo);
        // env --default-signal=HUP (it execs, so the pid stays apkgen's): a test host started with
        // SIGHUP ignored (nohup) passes that on, and apkgen rightly keeps an ignored signal ignored.
        var psi = new ProcessStartInfo("env") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=HUP", "dotnet", BuildOutput("Hooks", "apkgen"), "--config", fifo, verb }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        // Until apkgen is blocked opening the FIFO (wait_for_partner; its handlers are installed before that).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !File.ReadAllText($"/proc/{p.Id}/wchan").Contains("wait_for_partner", StringComparison.Ordinal))
            Thread.Sleep(50);
        Thread.Sleep(200);
        Assert.Equal(0, kill(p.Id, signal));
        var exited = p.WaitForExit(10_000);
        if (!exited) p.Kill();
        Assert.True(exited, $"apkgen {verb} was still running 10 s after signal {signal}");
        var err = await stderr;
        Assert.True(p.ExitCode == expected, $"exit {p.ExitCode}, expected {expected}: {err}");
        Assert.Contains($"stopped by signal {signal}", err);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    static extern int kill(int pid, int sig);

    [Fact]
    public void A_directory_as_the_configuration_file_is_exit_78_not_the_defaults()
    {
        var dir = Path.Combine(_dir, "apkgen.conf");
        Directory.CreateDirectory(dir);
        var (code, output) = RunApkgen("--config", dir, "list");
        Assert.True(code == ExitCodes.Config, $"exit {code}:\n{output}");
        Assert.Contains("is a directory", output);
    }

    [Fact]
    public void A_duplicate_key_is_named_in_words_with_its_line_not_as_a_resource_key()
    {
        var conf = Conf("dup.conf", "[layout]\ndevice = /dev/a\n\ndevice = /dev/b\n");
        var (code, output) = RunApkgen("--config", conf, "list");
        Assert.True(code == ExitCodes.Config, $"exit {code}:\n{output}");
        Assert.Contains("line 4: key 'device' appears twice in [layout]", output);
        Assert.DoesNotContain("Error_", output);
    }

    [Fact]
    public void A_garbage_line_is_named_in_words_with_its_line_and_its_control_bytes_escaped()
    {
        var conf = Conf("garbage.conf", "[layout]\nlinks = 4\n\u001b[31mred\u0007\n");
        var (code, output) = RunApkgen("--config", conf, "list");
        Assert.True(code == ExitCodes.Config, $"exit {code}:\n{output}");
        Assert.Contains("line 3: '\\x1b[31mred\\x07' is neither", output);
        Assert.DoesNotContain("Error_", output);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
    }

    [Theory]
    [InlineData(0x1B6, "every user")] // 0666
    [InlineData(0x1B4, "its group")]  // 0664
    public void A_configuration_file_others_may_write_is_refused_with_78_and_its_apk_path_never_runs(int mode, string who)
    {
        var marker = Path.Combine(_dir, "ran");
        var script = Conf("fake-apk", $"#!/bin/sh\ntouch {marker}\n", 0x1ED);
        var conf = Conf("open.conf", $"[apk]\npath = {script}\n", mode);
        var (code, output) = RunApkgen("--config", conf, "list");
        Assert.True(code == ExitCodes.Config, $"exit {code}:\n{output}");
        Assert.Contains($"refusing the configuration file {conf}: it is writable by {who}", output);
        // The wrapper's pass-through (apk info) reads [apk] path too.
        var (apkCode, apkOutput) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = conf }, null, StandInSystem.ApkLink(), "info");
        Assert.True(apkCode == ExitCodes.Config, $"apk info: exit {apkCode}:\n{apkOutput}");
        Assert.Contains("refusing the configuration file", apkOutput);
        Assert.False(File.Exists(marker), "the [apk] path of a refused configuration ran");
    }

    [Fact]
    public void A_configuration_file_not_owned_by_root_is_refused_with_78()
    {
        Sh.RequireRoot();
        var conf = Conf("nobody.conf", "[gc]\nauto = false\n");
        Sh.Run("chown", "65534:65534", conf);
        var (code, output) = RunApkgen("--config", conf, "list");
        Assert.True(code == ExitCodes.Config, $"exit {code}:\n{output}");
        Assert.Contains("it is owned by uid 65534, not root", output);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("regular-file")]
    public void A_device_that_is_not_a_block_device_is_bad_input_65_not_an_internal_error(string device)
    {
        Sh.RequireRoot();
        if (device == "regular-file") { device = Path.Combine(_dir, "image"); File.WriteAllBytes(device, new byte[4096]); }
        var (code, output) = RunApkgen("--device", device, "status");
        Assert.True(code == ExitCodes.DataError, $"exit {code}:\n{output}");
        Assert.Contains("is neither a block device nor a directory", output);
        Assert.DoesNotContain("report it", output);
    }

    /// <summary>As user nobody (setpriv), on a real layout: root is needed, said so, exit 77.</summary>
    [Theory]
    [InlineData("Hooks", "apkgen", new[] { "status" })]
    [InlineData("Hooks", "apkgen", new[] { "list" })]
    [InlineData("Hooks", "apkgen", new[] { "diff" })]
    [InlineData("Refind", "apkgen-refind", new string[0])]
    public void As_a_user_other_than_root_the_read_only_commands_say_root_is_needed_with_77(string project, string assembly, string[] args)
    {
        Sh.RequireRoot();
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        var (initCode, initOutput) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.True(initCode == 0, initOutput);
        var conf = Conf("user.conf", $"[layout]\ndevice = {disk.Device}\n[refind]\noutput = /boot/efi/EFI/refind/apkgen.conf\n");
        var (code, output) = AsNobody(project, assembly, ["--config", conf, .. args]);
        Assert.True(code == ExitCodes.NoPermission, $"exit {code}:\n{output}");
        Assert.Contains("must run as root", output);
        Assert.DoesNotContain("report it", output);
    }

    [Fact]
    public void As_a_user_other_than_root_an_unreadable_configuration_says_root_is_needed_with_77()
    {
        Sh.RequireRoot();
        var conf = Conf("secret.conf", "[gc]\nauto = false\n", 0x180); // 0600
        var (code, output) = AsNobody("Hooks", "apkgen", ["--config", conf, "status"]);
        Assert.True(code == ExitCodes.NoPermission, $"exit {code}:\n{output}");
        Assert.Contains($"cannot read the configuration file {conf}: permission denied", output);
        Assert.Contains("must run as root", output);
    }

    (int Code, string Output) AsNobody(string project, string assembly, string[] args)
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED); // 0755: nobody reaches the config
        var home = Path.Combine(_dir, "home");
        Directory.CreateDirectory(home);
        Sh.Run("chown", "65534:65534", home);
        var env = new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
        return Sh.TryIn(env, null, "setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", BuildOutput(project, assembly), .. args]);
    }
}
