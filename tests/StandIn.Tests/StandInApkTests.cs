using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.StandIn.Tests;

/// <summary>The stand-in apk run for real on temporary roots (as root: chroot, mounts).</summary>
public sealed class StandInApkTests : IDisposable
{
    readonly TestRoot root = new();

    public void Dispose() => root.Dispose();

    Dictionary<string, string> Installed() => PackageDb.ParseInstalled(root.Read(PackageDb.InstalledPath));

    [Fact]
    public async Task Initdb_and_add_alpine_base_make_a_root_that_chroot_can_run()
    {
        var r = await root.ApkAsync("--initdb", "add", "alpine-base");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"(?m)^OK: \d+ MiB in 3 packages$", r.Out);
        Assert.Equal("alpine-base\n", root.Read("etc/apk/world"));
        Assert.Equal(["alpine-base", "alpine-baselayout", "busybox"], Installed().Keys.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(root["lib/apk/db/lock"]));
        var sh = await TestRoot.RunAsync("chroot", [root.Dir, "/bin/sh", "-c", "echo $(cat /etc/alpine-release)"]);
        Assert.True(sh.ExitCode == 0, sh.ToString());
        Assert.Equal("3.22.0\n", sh.Out);
    }

    [Fact]
    public async Task The_installed_db_is_written_in_apks_record_format()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "hello");

        var records = root.Read(PackageDb.InstalledPath).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, records.Length);
        Assert.StartsWith("""
            P:hello
            V:2.0-r0
            A:x86_64
            T:Prints hello
            o:hello
            F:usr
            F:usr/bin
            R:hello
            F:usr/share
            F:usr/share/hello
            R:version
            """, records[^1]);
        Assert.EndsWith("\n\n", root.Read(PackageDb.InstalledPath));
        Assert.Equal("2.0-r0", Installed()["hello"]);
    }

    [Fact]
    public async Task Add_installs_the_newest_version_with_its_dependencies_and_adds_only_the_name_to_world()
    {
        await root.WithBaseAsync();

        var r = await root.ApkAsync("add", "cowsay");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("(1/2) Installing hello (2.0-r0)\n(2/2) Installing cowsay (3.05-r0)\n", r.Out);
        Assert.Equal("alpine-base\ncowsay\n", root.Read("etc/apk/world"));
        Assert.Equal("3.05-r0", Installed()["cowsay"]);
        Assert.Equal("2.0-r0", Installed()["hello"]);
        Assert.Equal("#!/bin/sh\necho \"moo 3.05-r0\"\n", root.Read("usr/bin/cowsay"));
    }

    [Fact]
    public async Task Add_with_a_version_pin_downgrades_and_upgrade_keeps_the_pin()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "hello");

        var r = await root.ApkAsync("add", "hello=1.0-r0");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("(1/1) Downgrading hello (2.0-r0 -> 1.0-r0)", r.Out);
        Assert.Equal("alpine-base\nhello=1.0-r0\n", root.Read("etc/apk/world"));
        Assert.Equal("1.0-r0\n", root.Read("usr/share/hello/version"));
        var up = await root.ApkAsync("upgrade");
        Assert.Equal(0, up.ExitCode);
        Assert.Equal("1.0-r0", Installed()["hello"]);
    }

    [Fact]
    public async Task Upgrade_installs_the_newest_versions_of_unpinned_packages()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "hello=1.0-r0", "cowsay=3.04-r2");
        await root.ApkAsync("add", "hello", "cowsay"); // unpinned; add keeps the installed versions
        Assert.Equal("1.0-r0", Installed()["hello"]);

        var r = await root.ApkAsync("upgrade");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Upgrading hello (1.0-r0 -> 2.0-r0)", r.Out);
        Assert.Contains("Upgrading cowsay (3.04-r2 -> 3.05-r0)", r.Out);
        Assert.Equal("2.0-r0", Installed()["hello"]);
        Assert.Equal("3.05-r0", Installed()["cowsay"]);
        Assert.Equal("alpine-base\ncowsay\nhello\n", root.Read("etc/apk/world"));
    }

    [Fact]
    public async Task Upgrade_with_nothing_newer_changes_nothing_and_exits_0()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "hello", "linux-lts");
        var installed = File.ReadAllBytes(root[PackageDb.InstalledPath]);
        var world = File.ReadAllBytes(root[PackageDb.WorldPath]);

        var r = await root.ApkAsync("upgrade");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^OK: \d+ MiB in 6 packages\n$", r.Out);
        Assert.Equal(installed, File.ReadAllBytes(root[PackageDb.InstalledPath]));
        Assert.Equal(world, File.ReadAllBytes(root[PackageDb.WorldPath]));
    }

    [Fact]
    public async Task Del_removes_the_package_its_unneeded_dependencies_their_files_and_the_world_entry()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "cowsay");

        var r = await root.ApkAsync("del", "cowsay");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Purging cowsay (3.05-r0)", r.Out);
        Assert.Contains("Purging hello (2.0-r0)", r.Out);
        Assert.Equal("alpine-base\n", root.Read("etc/apk/world"));
        Assert.False(Installed().ContainsKey("cowsay"));
        Assert.False(Installed().ContainsKey("hello"));
        Assert.False(File.Exists(root["usr/bin/cowsay"]));
        Assert.False(Directory.Exists(root["usr/share/hello"]));
        Assert.True(File.Exists(root["bin/busybox"]));
    }

    [Fact]
    public async Task Fix_reinstalls_a_package_whose_files_were_damaged()
    {
        await root.WithBaseAsync();
        await root.ApkAsync("add", "hello");
        File.Delete(root["usr/bin/hello"]);

        var r = await root.ApkAsync("fix", "hello");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("(1/1) Reinstalling hello (2.0-r0)", r.Out);
        Assert.True(File.Exists(root["usr/bin/hello"]));
    }

    [Fact]
    public async Task A_failing_post_install_records_the_package_and_exits_with_the_error_count()
    {
        await root.WithBaseAsync();

        var r = await root.ApkAsync("add", "broken", "hello");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Executing broken-1.0-r0.post-install", r.Out);
        Assert.Contains("ERROR: broken-1.0-r0.post-install: script exited with error 1", r.Err);
        Assert.Matches(@"(?m)^1 error; \d+ MiB in 5 packages$", r.Out);
        Assert.Equal("1.0-r0", Installed()["broken"]);
        Assert.Contains("P:broken\nV:1.0-r0\n", root.Read(PackageDb.InstalledPath));
        Assert.Contains("R:README\nf:s\n", root.Read(PackageDb.InstalledPath));
        Assert.Equal("alpine-base\nbroken\nhello\n", root.Read("etc/apk/world"));
    }

    [Fact]
    public async Task A_full_disk_counts_one_error_per_failed_package_and_keeps_the_rest()
    {
        await root.MountAsync("-t", "tmpfs", "-o", "size=8m", "apk-standin-full", root.Dir);
        await root.WithBaseAsync();

        var r = await root.ApkAsync(["add", "broken", "bigdata", "hello"], stdin: null,
            env: new Dictionary<string, string?> { ["APK_STANDIN_BIG_MIB"] = "32" });

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("ERROR: bigdata-1.0-r0: No space left on device", r.Err);
        Assert.Matches(@"(?m)^2 errors; \d+ MiB in 5 packages$", r.Out);
        Assert.False(Installed().ContainsKey("bigdata"));
        Assert.False(File.Exists(root["usr/share/bigdata/blob"]));
        Assert.Equal("2.0-r0", Installed()["hello"]);
        Assert.Contains("bigdata", root.Read("etc/apk/world"));
    }

    [Fact]
    public async Task An_unknown_package_fails_like_apk_and_changes_nothing()
    {
        await root.WithBaseAsync();

        var r = await root.ApkAsync("add", "nosuch");

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("""
            ERROR: unable to select packages:
              nosuch (no such package):
                required by: world[nosuch]

            """, r.Err);
        Assert.Equal("alpine-base\n", root.Read("etc/apk/world"));
    }

    [Fact]
    public async Task An_unknown_applet_fails_with_exit_code_1()
    {
        var r = await TestRoot.RunAsync(TestRoot.StandIn, ["frobnicate"]);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal("ERROR: 'frobnicate' is not an apk command. See 'apk --help'.\n", r.Err);
    }

    [Theory]
    [InlineData("--version", 0)]
    [InlineData("-V", 0)]
    [InlineData("--help", 1)]
    public async Task Version_exits_0_and_help_exits_1_as_in_apk_2_14(string option, int exitCode)
    {
        var r = await TestRoot.RunAsync(TestRoot.StandIn, [option]);

        Assert.Equal(exitCode, r.ExitCode);
        Assert.StartsWith("apk-tools 2.14.9-standin, compiled for x86_64.", r.Out);
    }

    [Theory]
    [InlineData("add", "hello")]
    [InlineData("--simulate", "add", "hello")]
    [InlineData("update")]
    [InlineData("upgrade")]
    public async Task On_a_read_only_root_taking_the_lock_fails_with_apks_messages_and_exit_99(params string[] args)
    {
        await root.WithBaseAsync();
        var ro = root.NewMountPoint();
        await root.MountAsync("--bind", "-o", "ro", root.Dir, ro);

        var r = await TestRoot.RunAsync(TestRoot.StandIn, ["--root", ro, "-X", TestRoot.SampleRepo, .. args]);

        Assert.Equal(99, r.ExitCode);
        Assert.Equal("""
            ERROR: Unable to lock database: Read-only file system
            ERROR: Failed to open apk database: Read-only file system

            """, r.Err);
        var info = await TestRoot.RunAsync(TestRoot.StandIn, ["--root", ro, "info"]);
        Assert.True(info.ExitCode == 0, info.ToString());
    }

    [Fact]
    public async Task A_held_lock_makes_a_second_apk_fail_with_exit_99()
    {
        await root.WithBaseAsync();
        var r = await TestRoot.RunAsync("sh", ["-c", """
            exec 8>"$2/lib/apk/db/lock"; flock -n 8 || exit 7
            "$1" --root "$2" -X "$3" add cowsay
            """, "sh", TestRoot.StandIn, root.Dir, TestRoot.SampleRepo]);

        Assert.Equal(99, r.ExitCode);
        Assert.Contains("ERROR: Unable to lock database: Resource temporarily unavailable\n", r.Err);
        Assert.False(Installed().ContainsKey("cowsay"));
    }

    [Fact]
    public async Task Commit_hooks_run_chrooted_in_the_root_with_only_PATH_before_and_after_the_change()
    {
        await root.WithBaseAsync();
        root.AddHook("record", """
            #!/bin/sh
            printf '%s cwd=%s hello=%s env=%s\n' "$1" "$(pwd)" "$(cat /usr/share/hello/version 2>/dev/null)" \
                "$(env | cut -d= -f1 | sort | tr '\n' ' ')" >>/hook.log
            echo "PATH=$PATH" >>/hook.log
            """);

        var r = await root.ApkAsync("add", "hello");

        Assert.True(r.ExitCode == 0, r.ToString());
        // PWD and SHLVL are set by the hook's own shell; nothing else comes from apk.
        Assert.Equal("""
            pre-commit cwd=/ hello= env=PATH PWD SHLVL 
            PATH=/usr/sbin:/usr/bin:/sbin:/bin
            post-commit cwd=/ hello=2.0-r0 env=PATH PWD SHLVL 
            PATH=/usr/sbin:/usr/bin:/sbin:/bin

            """, root.Read("hook.log"));
    }

    [Fact]
    public async Task A_failing_pre_commit_hook_aborts_with_exit_99_and_changes_nothing()
    {
        await root.WithBaseAsync();
        root.AddHook("stop", "#!/bin/sh\n[ \"$1\" = pre-commit ] && exit 3\nexit 0\n");
        var installed = root.Read(PackageDb.InstalledPath);

        var r = await root.ApkAsync("add", "hello");

        Assert.Equal(99, r.ExitCode);
        Assert.Equal("ERROR: stop: script exited with error 3\n", r.Err);
        Assert.Equal(installed, root.Read(PackageDb.InstalledPath));
        Assert.Equal("alpine-base\n", root.Read("etc/apk/world"));
        Assert.False(File.Exists(root["usr/bin/hello"]));
    }

    [Fact]
    public async Task A_simulated_run_runs_no_hooks_and_writes_nothing()
    {
        await root.WithBaseAsync();
        root.AddHook("stop", "#!/bin/sh\nexit 3\n");

        var r = await root.ApkAsync("--simulate", "add", "hello");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("(1/1) Installing hello (2.0-r0)", r.Out);
        Assert.Matches(@"(?m)^OK: \d+ MiB in 4 packages$", r.Out);
        Assert.Equal("alpine-base\n", root.Read("etc/apk/world"));
        Assert.False(File.Exists(root["usr/bin/hello"]));
    }

    [Fact]
    public async Task A_kernel_package_writes_vmlinuz_and_the_mkinitfs_trigger_writes_the_initramfs_in_the_root()
    {
        await root.WithBaseAsync();

        var r = await root.ApkAsync("add", "linux-lts=6.12.40-r0");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Executing mkinitfs-3.11.1-r0.trigger", r.Out);
        Assert.Equal("vmlinuz 6.12.40-0-lts\n", root.Read("boot/vmlinuz-lts"));
        Assert.Equal("initramfs for 6.12.40-0-lts\n", root.Read("boot/initramfs-lts"));
        Assert.Equal([new KernelInfo("lts", "6.12.40-r0")], SnapshotContents.DiscoverKernels(root.Dir, Installed()));

        var up = await root.ApkAsync("add", "linux-lts");
        Assert.Equal(0, up.ExitCode);
        var r2 = await root.ApkAsync("upgrade");
        Assert.Contains("Upgrading linux-lts (6.12.40-r0 -> 6.12.45-r0)", r2.Out);
        Assert.Equal("initramfs for 6.12.45-0-lts\n", root.Read("boot/initramfs-lts"));
        Assert.False(Directory.Exists(root["lib/modules/6.12.40-0-lts"]));
    }

    [Theory]
    [InlineData("n\n", 99, false)]
    [InlineData("\n", 0, true)]
    [InlineData("y\n", 0, true)]
    public async Task Interactive_mode_asks_on_the_terminal_and_reads_the_answer_from_stdin(string answer, int exitCode, bool installed)
    {
        await root.WithBaseAsync();

        var r = await root.ApkAsync(["-i", "add", "hello"], stdin: answer);

        Assert.Equal(exitCode, r.ExitCode);
        Assert.StartsWith("The following NEW packages will be installed:\n  hello\nDo you want to continue [Y/n]? ", r.Out);
        Assert.Equal(installed, File.Exists(root["usr/bin/hello"]));
    }

    [Fact]
    public async Task On_a_terminal_it_draws_a_progress_bar_and_when_captured_it_does_not()
    {
        await root.WithBaseAsync();
        string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
        var command = string.Join(' ', new[] { TestRoot.StandIn, "--root", root.Dir, "-X", TestRoot.SampleRepo, "add", "hello" }.Select(Quote));

        var tty = await TestRoot.RunAsync("script", ["-qec", command, "/dev/null"]);
        var captured = await root.ApkAsync("add", "cowsay");

        Assert.True(tty.ExitCode == 0, tty.ToString());
        Assert.Contains("\r 100% ########################################\r\u001b[K", tty.Out);
        Assert.Contains("OK: ", tty.Out);
        Assert.DoesNotContain("\r", captured.Out);
        Assert.DoesNotContain("%", captured.Out);
    }
}
