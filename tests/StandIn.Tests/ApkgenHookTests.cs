namespace Apkgen.StandIn.Tests;

/// <summary>
/// apk-hooks/apkgen, run as apk runs it: chrooted in the root, only PATH set. A live
/// generation is simulated for real: a new pid and mount namespace whose pid 1 is chrooted
/// in the test root (so the hook's / is init's /, as on a booted system), with proc mounted
/// there and a kernel command line bind-mounted over its /proc/cmdline.
/// </summary>
public sealed class ApkgenHookTests : IDisposable
{
    const string BootedCmdline = "BOOT_IMAGE=/current/0/@/boot/vmlinuz-lts root=UUID=b9ff5e7b rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime quiet\n";
    readonly TestRoot root = new();

    public void Dispose() => root.Dispose();

    async Task InstallHookAsync()
    {
        await root.WithBaseAsync();
        File.Copy(TestRoot.Hook, root["etc/apk/commit_hooks.d/apkgen"]);
    }

    /// <summary>
    /// Runs the hook with <paramref name="argument"/> in a simulated boot with this kernel
    /// command line. <paramref name="asInit"/>: the hook's root is pid 1's root (the live
    /// system); otherwise pid 1 stays outside and only the hook is chrooted (a chroot into
    /// another tree on a booted system, as the seed guide's sysmut does).
    /// </summary>
    Task<RunResult> RunHookBootedAsync(string cmdline, string argument, bool asInit = true)
    {
        File.WriteAllText(root["tmp/cmdline"], cmdline);
        var chroot = $"chroot \"$2\" /usr/bin/env -i PATH={TestRoot.HookPath} /etc/apk/commit_hooks.d/apkgen \"$3\"";
        return TestRoot.RunAsync("unshare", ["--pid", "--fork", "--mount", "--propagation", "private",
            "--mount-proc=" + root["proc"], "sh", "-c",
            $"mount --bind \"$1\" \"$2/proc/cmdline\" || exit 111; {(asInit ? "exec " : "")}{chroot}",
            "sh", root["tmp/cmdline"], root.Dir, argument]);
    }

    [Fact]
    public async Task On_a_live_generation_pre_commit_stops_apk_and_names_the_wrapper()
    {
        await InstallHookAsync();

        var r = await RunHookBootedAsync(BootedCmdline, "pre-commit");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("""
            apkgen: error: this root is a read-only generation; changes here are lost at reboot.
            Run the same command through the wrapper: apk <arguments> (or: apkgen apk -- <arguments>)

            """, r.Err);
    }

    [Fact]
    public async Task On_a_trial_boot_of_a_pending_generation_pre_commit_stops_apk_too()
    {
        await InstallHookAsync();

        var r = await RunHookBootedAsync(BootedCmdline.Replace("/current/0/@,", "/pending/0/@,"), "pre-commit");

        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public async Task The_message_repeats_the_arguments_of_the_process_that_ran_the_hook()
    {
        await InstallHookAsync();
        // apk forks and execs each hook, so the hook's parent is apk. Here the parent is a
        // script standing for apk: its command line is "/bin/sh /sbin/apk add hello", where
        // a real apk's (an executable) would be "apk add hello".
        File.WriteAllText(root["sbin/apk"], "#!/bin/sh\n/etc/apk/commit_hooks.d/apkgen pre-commit\n");
        File.SetUnixFileMode(root["sbin/apk"], (UnixFileMode)0b111_101_101);
        File.WriteAllText(root["tmp/cmdline"], BootedCmdline);

        var r = await TestRoot.RunAsync("unshare", ["--pid", "--fork", "--mount", "--mount-proc=" + root["proc"], "sh", "-c",
            $"mount --bind \"$1/tmp/cmdline\" \"$1/proc/cmdline\" && exec chroot \"$1\" /usr/bin/env -i PATH={TestRoot.HookPath} /sbin/apk add hello",
            "sh", root.Dir]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("through the wrapper: apk /sbin/apk add hello (or: apkgen apk -- /sbin/apk add hello)\n", r.Err);
    }

    [Fact]
    public async Task Inside_an_apkgen_transaction_the_marker_makes_it_exit_0()
    {
        await InstallHookAsync();
        File.WriteAllText(root["run/apkgen-transaction"], "");

        var r = await RunHookBootedAsync(BootedCmdline, "pre-commit");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Err);
    }

    [Fact]
    public async Task In_a_chroot_of_another_tree_on_a_booted_system_it_exits_0()
    {
        await InstallHookAsync();

        var r = await RunHookBootedAsync(BootedCmdline, "pre-commit", asInit: false);

        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Theory]
    [InlineData("post-commit")]
    [InlineData("")]
    [InlineData("something-new")]
    public async Task On_a_live_generation_every_other_stage_exits_0(string argument)
    {
        await InstallHookAsync();

        var r = await RunHookBootedAsync(BootedCmdline, argument);

        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Theory]
    [InlineData("BOOT_IMAGE=/vmlinuz-lts root=/dev/sda3 rootfstype=ext4 quiet\n")]
    [InlineData("root=UUID=b9ff5e7b rootflags=subvol=/@,ro\n")]
    [InlineData("root=UUID=b9ff5e7b rootflags=subvol=/current/x/@\n")]
    [InlineData("")]
    public async Task When_the_kernel_did_not_boot_an_apkgen_slot_it_exits_0(string cmdline)
    {
        await InstallHookAsync();

        var r = await RunHookBootedAsync(cmdline, "pre-commit");

        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task Without_proc_it_exits_0()
    {
        await InstallHookAsync();

        var r = await TestRoot.RunAsync("chroot", [root.Dir, "/usr/bin/env", "-i", "PATH=" + TestRoot.HookPath,
            "/etc/apk/commit_hooks.d/apkgen", "pre-commit"]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Err);
    }

    [Fact]
    public async Task Apk_with_the_hook_installed_commits_normally_outside_a_live_generation()
    {
        await InstallHookAsync();

        var r = await root.ApkAsync("add", "hello");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(root["usr/bin/hello"]));
    }
}
