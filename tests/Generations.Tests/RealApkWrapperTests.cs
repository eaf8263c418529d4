using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// The apk wrapper against the real apk-tools (2.14.4, or 3.0.6 with APKGEN_TEST_APK=3) on a
/// real Alpine root adopted as the first generation. Every change is also made by the real
/// apk directly on an equal copy of the root: the wrapper must end as apk does (exit code;
/// lib/apk/db/installed and etc/apk/world byte for byte).
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkWrapperTests
{
    [Fact]
    public void Read_only_applets_pass_through_to_the_real_apk_and_make_no_generation()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var (vcode, version) = s.Apk("--version");
        Assert.True(vcode == 0, version);
        Assert.StartsWith(AlpineKit.ApkVersionText, version);
        foreach (var args in new[] { new[] { "info" }, ["info", "-e", "busybox"], ["list", "--installed"], ["policy", "hello"], ["search", "hello"], ["info", "-e", "hello"] })
        {
            string[] rooted = ["--root", s.Slot0Root, .. args];
            var wrapped = s.Apk(rooted);
            var direct = RealAlpineSystem.RunRealApk(rooted);
            Assert.True(wrapped == direct, $"apk {string.Join(' ', args)}: wrapper {wrapped}, direct {direct}");
        }
        Assert.Equal(count, s.GenerationCount);
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void Add_makes_one_generation_whose_db_and_world_are_what_apk_writes_directly()
    {
        using var s = RealAlpineSystem.Create();
        var before = s.Slot(0);
        var c = s.CompareWithDirect("add", "hello").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.Contains("Installing hello (1.0-r0)", c.Wrapped.Output);
        var id = s.Slot(0);
        Assert.NotEqual(before, id);
        Assert.Equal(before, s.Slot(1));
        var ini = s.Ini(id);
        Assert.Contains("command = apk add hello", ini);
        Assert.Contains("added = hello=1.0-r0", ini);
        Assert.Matches(@"\[world\]\nadded = hello\n", ini);
        Assert.Contains("1 added", c.Wrapped.Output);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")));
        Assert.False(File.Exists(Path.Combine(s.Top, "current/1/@/usr/bin/hello")));
        Assert.Contains("apk add hello [1 added]", s.Apkgen("list").Output);
    }

    [Fact]
    public void Add_with_a_dependency_then_del_match_apk_directly()
    {
        using var s = RealAlpineSystem.Create();
        var add = s.CompareWithDirect("add", "world-dep").AssertSameAsDirect();
        Assert.True(add.Wrapped.Code == 0, add.Wrapped.Output);
        var added = s.Ini(s.Slot(0));
        Assert.Contains("hello=1.0-r0", added);
        Assert.Contains("world-dep=1.0-r0", added);
        var del = s.CompareWithDirect("del", "world-dep").AssertSameAsDirect();
        Assert.True(del.Wrapped.Code == 0, del.Wrapped.Output);
        var ini = s.Ini(s.Slot(0));
        Assert.Contains("command = apk del world-dep", ini);
        Assert.Contains("removed = ", ini);
        Assert.Contains("world-dep=1.0-r0", ini);
        Assert.False(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")));
    }

    [Fact]
    public void Upgrade_with_nothing_to_do_makes_no_generation_as_apk_changes_nothing()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        var c = s.CompareWithDirect("upgrade").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.Contains("altered nothing", c.Wrapped.Output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Equal(slot0, s.Slot(0));
    }

    [Fact]
    public void A_real_upgrade_from_hello_1_0_to_2_0_is_recorded_and_matches_apk_directly()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello").Code);
        s.SetRepository(AlpineKit.RepoUpdate);
        var c = s.CompareWithDirect("upgrade").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.Contains("Upgrading hello (1.0-r0 -> 2.0-r0)", c.Wrapped.Output);
        Assert.Contains("upgraded = hello=1.0-r0>2.0-r0", s.Ini(s.Slot(0)));
        Assert.Contains("command = apk upgrade", s.Ini(s.Slot(0)));
    }

    [Fact]
    public void A_failing_post_install_exits_as_apk_does_and_discards_the_generation()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        var c = s.CompareWithDirect("add", "broken");
        c.AssertFailedAsDirect();
        Assert.Contains("discarded", c.Wrapped.Output);
        Assert.Contains("post-install", c.Wrapped.Output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Equal(slot0, s.Slot(0));
        Assert.DoesNotContain("broken", File.ReadAllText(Path.Combine(s.Slot0Root, "etc/apk/world")));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void An_unknown_package_fails_with_apks_exit_code_and_leaves_nothing_behind()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var c = s.CompareWithDirect("add", "no-such-package");
        c.AssertFailedAsDirect();
        Assert.Contains("no such package", c.Wrapped.Output);
        Assert.Equal(count, s.GenerationCount);
    }

    [Fact]
    public void Kernel_lts_runs_the_mkinitfs_trigger_in_the_snapshot_and_linux_lts_replaces_it()
    {
        using var s = RealAlpineSystem.Create();
        var c = s.CompareWithDirect("add", "kernel-lts").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "boot/initramfs-lts")), c.Wrapped.Output);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "boot/vmlinuz-lts")));
        // Not named linux-lts: its version is read from its modules directory.
        Assert.Contains("[kernels]\nlts = 6.6.52-0-lts", s.Ini(s.Slot(0)));
        Assert.Contains("kernel lts 6.6.52-0-lts added", c.Wrapped.Output);
        var swap = s.CompareWithDirect("del", "kernel-lts").AssertSameAsDirect();
        Assert.True(swap.Wrapped.Code == 0, swap.Wrapped.Output);
        // mkinitfs goes with the kernel that pulled it in, so no trigger removes the initramfs (as directly).
        Assert.False(File.Exists(Path.Combine(s.Slot0Root, "boot/vmlinuz-lts")));
        Assert.DoesNotContain("[kernels]", s.Ini(s.Slot(0)));
        var linux = s.CompareWithDirect("add", "linux-lts").AssertSameAsDirect();
        Assert.True(linux.Wrapped.Code == 0, linux.Wrapped.Output);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "boot/initramfs-lts")));
        Assert.Contains("[kernels]\nlts = 6.6.52-r0", s.Ini(s.Slot(0)));
    }

    [Fact]
    public void A_virtual_without_priority_fails_as_apk_does_and_its_provider_installs()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var c = s.CompareWithDirect("add", "greeting");
        c.AssertFailedAsDirect();
        Assert.Contains("greeter", c.Wrapped.Output);
        Assert.Equal(count, s.GenerationCount);
        var named = s.CompareWithDirect("add", "greeter").AssertSameAsDirect();
        Assert.True(named.Wrapped.Code == 0, named.Wrapped.Output);
    }

    [Fact]
    public void No_cache_add_matches_apk_directly()
    {
        using var s = RealAlpineSystem.Create();
        var c = s.CompareWithDirect("--no-cache", "add", "hello").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.Contains("command = apk --no-cache add hello", s.Ini(s.Slot(0)));
    }

    [Fact]
    public void Simulate_shows_what_apk_would_do_and_changes_nothing()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        var c = s.CompareWithDirect("add", "--simulate", "world-dep").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.Contains("Installing world-dep (1.0-r0)", c.Wrapped.Output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Equal(slot0, s.Slot(0));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void Update_fetches_the_index_and_makes_no_generation()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var (code, output) = s.Apk("update");
        Assert.True(code == 0, output);
        Assert.Contains("distinct packages available", output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void Status_list_diff_rollback_and_gc_work_on_the_generations_real_apk_made()
    {
        using var s = RealAlpineSystem.Create();
        var first = s.Slot(0);
        Assert.Equal(0, s.Apk("add", "hello").Code);
        Assert.Equal(0, s.Apk("add", "kernel-lts").Code);
        var (lcode, list) = s.Apkgen("list");
        Assert.True(lcode == 0, list);
        Assert.Contains("apk add kernel-lts", list);
        var (dcode, diff) = s.Apkgen("diff", first, s.Slot(0));
        Assert.True(dcode == 0, diff);
        Assert.Contains("hello", diff);
        Assert.Contains("kernel-lts", diff);
        var (scode, status) = s.Apkgen("status");
        Assert.True(scode == 0, status);
        var third = s.Slot(0);
        var (rcode, rollback) = s.Apkgen("rollback");
        Assert.True(rcode == 0, rollback);
        Assert.NotEqual(third, s.Slot(0));
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")));
        Assert.False(File.Exists(Path.Combine(s.Slot0Root, "boot/vmlinuz-lts")));
        var (gcode, gc) = s.Apkgen("gc");
        Assert.True(gcode == 0, gc);
        // After the rollback a change again is a real apk run on the rolled-back root.
        var c = s.CompareWithDirect("del", "hello").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
    }

    [Fact]
    public void Upgrade_downgrade_and_del_are_recorded_as_such()
    {
        using var s = RealAlpineSystem.Create();
        s.SetRepository(AlpineKit.RepoUpdate);
        Assert.Equal(0, s.Apk("add", "hello=1.0-r0").Code);
        var up = s.CompareWithDirect("add", "hello=2.0-r0").AssertSameAsDirect();
        Assert.True(up.Wrapped.Code == 0, up.Wrapped.Output);
        Assert.Contains("upgraded = hello=1.0-r0>2.0-r0", s.Ini(s.Slot(0)));
        var down = s.CompareWithDirect("add", "hello=1.0-r0").AssertSameAsDirect();
        Assert.True(down.Wrapped.Code == 0, down.Wrapped.Output);
        Assert.Contains("downgraded = hello=2.0-r0>1.0-r0", s.Ini(s.Slot(0)));
        Assert.Equal(0, s.CompareWithDirect("del", "hello").AssertSameAsDirect().Wrapped.Code);
        var ini = s.Ini(s.Slot(0));
        Assert.Contains("removed = hello=1.0-r0", ini);
        Assert.Contains("command = apk del hello", ini);
    }

    [Fact]
    public void The_terminal_passes_through_to_apk_so_its_progress_bar_appears()
    {
        using var s = RealAlpineSystem.Create();
        // script(1) runs the wrapper under a pseudo-terminal; apk draws its bar only on a terminal.
        var (code, output) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = s.ConfigPath }, null,
            "script", "-qec", $"{ApkgenCli.ApkLink()} add kernel-lts", "/dev/null");
        Assert.True(code == 0, output);
        Assert.Contains("100% \u2588", output);
        var (_, piped) = s.Apk("add", "hello");
        Assert.DoesNotContain("\u2588", piped);
    }

    [Fact]
    public void An_interactive_prompt_reads_the_users_answer_and_no_discards()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var env = new Dictionary<string, string> { ["APKGEN_CONFIG"] = s.ConfigPath };
        var (code, output) = Sh.TryIn(env, "n\n", ApkgenCli.ApkLink(), "add", "-i", "world-dep");
        Assert.NotEqual(0, code);
        Assert.Contains("Do you want to continue [Y/n]?", output);
        Assert.Equal(count, s.GenerationCount);
        var (ycode, youtput) = Sh.TryIn(env, "y\n", ApkgenCli.ApkLink(), "add", "-i", "world-dep");
        Assert.True(ycode == 0, youtput);
        Assert.Equal(count + 1, s.GenerationCount);
    }

    [Fact]
    public void A_second_change_before_reboot_stacks_on_the_first_and_says_so()
    {
        using var s = RealAlpineSystem.Create();
        var booted = s.Slot(0);
        var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
        File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
        var cmdline = Path.Combine(s.Disk.ScratchDirPath, "cmdline");
        File.WriteAllText(cmdline, "root=UUID=x rootflags=subvol=/current/0/@,ro\n");
        var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = cmdline };
        var (c1, o1) = s.Apk(env, "add", "hello");
        Assert.True(c1 == 0, o1);
        var first = s.Slot(0);
        var (c2, o2) = s.Apk(env, "add", "greeter");
        Assert.True(c2 == 0, o2);
        Assert.Contains($"stacking on generation {first}", o2);
        Assert.Contains($"parent = {first}", s.Ini(s.Slot(0)));
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")));
    }

    [Fact]
    public void Apkgen_apk_spelled_out_is_the_same_wrapper()
    {
        using var s = RealAlpineSystem.Create();
        var (code, output) = s.Apkgen("apk", "--", "add", "hello");
        Assert.True(code == 0, output);
        Assert.Contains("command = apk add hello", s.Ini(s.Slot(0)));
    }

    [Fact]
    public void The_repository_over_http_serves_add_update_and_a_real_upgrade()
    {
        using var http = KitHttpServer.Start();
        using var s = RealAlpineSystem.Create(http.RepositoryUrl());
        var (ucode, update) = s.Apk("update");
        Assert.True(ucode == 0, update);
        Assert.Contains(http.RepositoryUrl(), update);
        var add = s.CompareWithDirect("add", "hello").AssertSameAsDirect();
        Assert.True(add.Wrapped.Code == 0, add.Wrapped.Output);
        s.SetRepository(http.RepositoryUrl("repo-update"));
        var up = s.CompareWithDirect("-U", "upgrade").AssertSameAsDirect();
        Assert.True(up.Wrapped.Code == 0, up.Wrapped.Output);
        Assert.Contains("upgraded = hello=1.0-r0>2.0-r0", s.Ini(s.Slot(0)));
        var nocache = s.CompareWithDirect("--no-cache", "add", "greeter").AssertSameAsDirect();
        Assert.True(nocache.Wrapped.Code == 0, nocache.Wrapped.Output);
    }
}
