using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>The apk wrapper against the stand-in apk on real loop btrfs.</summary>
public class WrapperTests
{
    static string Ini(StandInSystem s, string id) => File.ReadAllText(Path.Combine(s.Top, "snapshots", id, "generation.ini"));

    [Fact]
    public void Init_bootstraps_the_first_generation_with_apk_initdb_add_alpine_base()
    {
        using var s = StandInSystem.Create();
        var id = s.Slot(0);
        Assert.True(File.Exists(Path.Combine(s.Top, "current/0/@/bin/busybox")));
        Assert.Contains("alpine-base", File.ReadAllText(Path.Combine(s.Top, "current/0/@/etc/apk/world")));
        Assert.Contains("P:alpine-base", File.ReadAllText(Path.Combine(s.Top, "current/0/@/lib/apk/db/installed")));
        Assert.Contains("command = exec /bin/sh -c echo", Ini(s, id));
    }

    [Fact]
    public void Apk_add_through_the_wrapper_makes_one_generation_with_its_package_changes()
    {
        using var s = StandInSystem.Create();
        var before = s.Slot(0);
        var (code, output) = s.Apk("add", "hello");
        Assert.True(code == 0, output);
        var id = s.Slot(0);
        Assert.NotEqual(before, id);
        Assert.Equal(before, s.Slot(1));
        var ini = Ini(s, id);
        Assert.Contains("command = apk add hello", ini);
        Assert.Contains("added = hello=2.0-r0", ini);
        Assert.Matches(@"\[world\]\nadded = hello\n", ini);
        Assert.Contains($"new generation {id}", output);
        Assert.Contains("1 added", output);
        Assert.True(File.Exists(Path.Combine(s.Top, "current/0/@/usr/bin/hello")));
        Assert.False(File.Exists(Path.Combine(s.Top, "current/1/@/usr/bin/hello")));
        var (_, list) = s.Apkgen("list");
        Assert.Contains("apk add hello [1 added]", list);
    }

    [Fact]
    public void Upgrade_downgrade_and_del_are_recorded_as_such()
    {
        using var s = StandInSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello=1.0-r0").Code);
        var (code, output) = s.Apk("add", "hello=2.0-r0");
        Assert.True(code == 0, output);
        Assert.Contains("upgraded = hello=1.0-r0>2.0-r0", Ini(s, s.Slot(0)));
        Assert.Equal(0, s.Apk("add", "hello=1.0-r0").Code);
        Assert.Contains("downgraded = hello=2.0-r0>1.0-r0", Ini(s, s.Slot(0)));
        Assert.Equal(0, s.Apk("del", "hello").Code);
        var ini = Ini(s, s.Slot(0));
        Assert.Contains("removed = hello=1.0-r0", ini);
        Assert.Contains("command = apk del hello", ini);
    }

    [Fact]
    public void Upgrade_with_nothing_to_upgrade_makes_no_generation()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        var (code, output) = s.Apk("upgrade");
        Assert.True(code == 0, output);
        Assert.Contains("altered nothing", output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Equal(slot0, s.Slot(0));
    }

    [Fact]
    public void An_unknown_package_fails_with_apks_exit_code_and_leaves_nothing_behind()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        var (code, output) = s.Apk("add", "no-such-package");
        Assert.NotEqual(0, code);
        Assert.Contains("unable to select packages", output);
        Assert.Contains("discarded", output);
        Assert.Equal(count, s.GenerationCount);
        Assert.Equal(slot0, s.Slot(0));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void A_partial_failure_discards_the_generation_although_apk_wrote_its_database()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var (code, output) = s.Apk("add", "broken");
        Assert.Equal(1, code);
        Assert.Contains("discarded", output);
        Assert.Equal(count, s.GenerationCount);
        Assert.DoesNotContain("broken", File.ReadAllText(Path.Combine(s.Top, "current/0/@/etc/apk/world")));
    }

    [Fact]
    public void Read_only_applets_run_the_real_apk_directly_without_a_snapshot()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var mountinfo = File.ReadAllText("/proc/self/mountinfo");
        // The stand-in reads --root from its arguments; pass-through keeps them as given.
        var (code, output) = s.Apk("--root", Path.Combine(s.Top, "current/0/@"), "info");
        Assert.True(code == 0, output);
        Assert.Contains("alpine-base", output);
        var (vcode, version) = s.Apk("--version");
        Assert.Equal(0, vcode);
        Assert.Contains("standin", version);
        Assert.Equal(count, s.GenerationCount);
        Assert.DoesNotContain("apkgen:", output);
    }

    [Fact]
    public void Update_and_simulate_work_on_the_read_only_root_and_make_no_generation()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var (code, output) = s.Apk("update");
        Assert.True(code == 0, output);
        Assert.Contains("distinct packages available", output);
        var (scode, soutput) = s.Apk("add", "--simulate", "hello");
        Assert.True(scode == 0, soutput);
        Assert.Equal(count, s.GenerationCount);
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void A_kernel_package_runs_its_trigger_in_the_snapshot_and_the_kernel_is_recorded()
    {
        using var s = StandInSystem.Create();
        var (code, output) = s.Apk("add", "linux-lts=6.12.40-r0");
        Assert.True(code == 0, output);
        Assert.Equal("initramfs for 6.12.40-0-lts\n", File.ReadAllText(Path.Combine(s.Top, "current/0/@/boot/initramfs-lts")));
        Assert.Contains("[kernels]\nlts = 6.12.40-r0", Ini(s, s.Slot(0)));
        Assert.Contains("kernel lts 6.12.40-r0 added", output);
        // The world pins linux-lts=6.12.40-r0: unpin it (a world change), then upgrade, as with apk.
        Assert.Equal(0, s.Apk("add", "linux-lts").Code);
        var (ucode, uoutput) = s.Apk("upgrade");
        Assert.True(ucode == 0, uoutput);
        Assert.Contains("kernel lts: 6.12.40-r0 -> 6.12.45-r0", uoutput);
        Assert.Contains("reboot", uoutput);
    }

    [Fact]
    public void A_second_change_before_reboot_stacks_on_the_first_and_says_so()
    {
        using var s = StandInSystem.Create();
        var booted = s.Slot(0);
        var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
        File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
        var cmdline = Path.Combine(s.Disk.ScratchDirPath, "cmdline");
        File.WriteAllText(cmdline, "root=UUID=x rootflags=subvol=/current/0/@,ro\n");
        var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = cmdline, ["APKGEN_CONFIG"] = s.ConfigPath };
        var (c1, o1) = Sh.TryIn(env, null, StandInSystem.ApkLink(), "add", "hello");
        Assert.True(c1 == 0, o1);
        var first = s.Slot(0);
        var (c2, o2) = Sh.TryIn(env, null, StandInSystem.ApkLink(), "add", "cowsay");
        Assert.True(c2 == 0, o2);
        Assert.Contains($"stacking on generation {first}", o2);
        Assert.Contains($"parent = {first}", Ini(s, s.Slot(0)));
        Assert.True(File.Exists(Path.Combine(s.Top, "current/0/@/usr/bin/hello")));
    }

    [Fact]
    public void The_terminal_passes_through_to_apk_so_its_progress_bar_appears()
    {
        using var s = StandInSystem.Create();
        // script(1) runs the wrapper under a pseudo-terminal; the stand-in draws its bar only on a terminal.
        var (code, output) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = s.ConfigPath }, null,
            "script", "-qec", $"{StandInSystem.ApkLink()} add hello", "/dev/null");
        Assert.True(code == 0, output);
        Assert.Contains("100% ########################################", output);
        var (_, piped) = s.Apk("add", "cowsay");
        Assert.DoesNotContain("100% #", piped);
    }

    [Fact]
    public void An_interactive_prompt_reads_the_users_answer_and_no_discards()
    {
        using var s = StandInSystem.Create();
        var count = s.GenerationCount;
        var (code, output) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = s.ConfigPath }, "n\n", StandInSystem.ApkLink(), "add", "-i", "hello");
        Assert.NotEqual(0, code);
        Assert.Contains("Do you want to continue [Y/n]?", output);
        Assert.Equal(count, s.GenerationCount);
        var (ycode, youtput) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = s.ConfigPath }, "y\n", StandInSystem.ApkLink(), "add", "-i", "hello");
        Assert.True(ycode == 0, youtput);
        Assert.Equal(count + 1, s.GenerationCount);
    }

    [Fact]
    public void Apkgen_apk_spelled_out_is_the_same_wrapper()
    {
        using var s = StandInSystem.Create();
        var (code, output) = s.Apkgen("apk", "--", "add", "hello");
        Assert.True(code == 0, output);
        Assert.Contains("command = apk add hello", Ini(s, s.Slot(0)));
    }
}
