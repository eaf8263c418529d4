using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// apkgen auto-upgrade on a real Alpine root with the real apk (2.14.4, or 3.0.6 with
/// APKGEN_TEST_APK=3) and the kit's repositories, on loop btrfs. The running system is slot 0
/// (the mountinfo fixture), which has hello 1.0 and a repository with hello 2.0. Policy reboot
/// is left to the boot suite: here it would reboot the host.
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkAutoUpgradeTests
{
    sealed class Machine : IDisposable
    {
        public required RealAlpineSystem System { get; init; }
        public required Dictionary<string, string> Env { get; init; }
        public string StampPath => Path.Combine(System.Top, ".apkgen-auto-upgrade");

        public (int Code, string Output) AutoUpgrade(params string[] args) =>
            ApkgenCli.RunApkgen(Env, ["--config", System.ConfigPath, "auto-upgrade", .. args]);

        public void SetAuto(string section) => File.AppendAllText(System.ConfigPath, "[auto]\n" + section);

        public void Dispose() => System.Dispose();
    }

    /// <summary>hello 1.0 installed, the repository with hello 2.0, and slot 0 the running generation.</summary>
    static Machine WithHelloUpgradable(string? repository = null)
    {
        var s = RealAlpineSystem.Create();
        try
        {
            var (code, output) = s.Apk("add", "hello");
            Assert.True(code == 0, output);
            s.SetRepository(repository ?? AlpineKit.RepoUpdate);
            var booted = s.Slot(0);
            var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
            File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
            var cmdline = Path.Combine(s.Disk.ScratchDirPath, "cmdline");
            File.WriteAllText(cmdline, "root=UUID=x rootflags=subvol=/current/0/@,ro\n");
            return new Machine { System = s, Env = new() { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = cmdline } };
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    static string[] Snapshots(RealAlpineSystem s) => Directory.GetDirectories(Path.Combine(s.Top, "snapshots")).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Policy_none_does_nothing_and_mounts_nothing()
    {
        using var m = WithHelloUpgradable();
        var before = Snapshots(m.System);
        var (code, output) = m.AutoUpgrade();
        Assert.True(code == 0, output);
        Assert.Equal("", output.Trim());
        Assert.Equal(before, Snapshots(m.System));
        Assert.False(File.Exists(m.StampPath));
    }

    [Fact]
    public void Check_reports_the_upgrade_and_changes_no_generation()
    {
        using var m = WithHelloUpgradable();
        m.SetAuto("policy = check\n");
        var s = m.System;
        var slot0 = s.Slot(0);
        var before = Snapshots(s);
        var db = RealAlpineSystem.ReadDb(s.Slot0Root);
        var (code, output) = m.AutoUpgrade();
        Assert.True(code == 0, output);
        Assert.Contains("apkgen auto-upgrade: policy check, due (no run recorded yet)", output);
        Assert.Contains($"check: 1 upgrade step(s) available for generation {slot0}: Upgrading hello (1.0-r0 -> 2.0-r0)", output);
        Assert.Equal(before, Snapshots(s));
        Assert.Equal(slot0, s.Slot(0));
        var dbAfter = RealAlpineSystem.ReadDb(s.Slot0Root);
        Assert.Equal(db.Installed, dbAfter.Installed);
        Assert.Equal(db.World, dbAfter.World);
        Assert.Contains("hello 1.0", Sh.Run("chroot", s.Slot0Root, "hello"));
        Assert.Contains("result = check: 1 upgrade step(s)", File.ReadAllText(m.StampPath));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void Stage_makes_one_generation_and_a_second_run_with_it_unbooted_does_not_stack()
    {
        using var m = WithHelloUpgradable();
        m.SetAuto("policy = stage\n");
        var s = m.System;
        var booted = s.Slot(0);
        var count = s.GenerationCount;

        var (code, output) = m.AutoUpgrade();
        Assert.True(code == 0, output);
        Assert.Equal(count + 1, s.GenerationCount);
        var staged = s.Slot(0);
        Assert.NotEqual(booted, staged);
        Assert.Equal(booted, s.Slot(1));
        var ini = s.Ini(staged);
        Assert.Contains("command = apk -U upgrade", ini);
        Assert.Contains("upgraded = hello=1.0-r0>2.0-r0", ini);
        Assert.Contains($"parent = {booted}", ini);
        Assert.Contains($"stage: generation {staged} staged by apk -U upgrade", output);
        Assert.DoesNotContain("rebooting", output);

        // The next hourly run: not due (the stamp). With --now: due, but the staged one waits.
        var (c2, o2) = m.AutoUpgrade();
        Assert.True(c2 == 0, o2);
        Assert.Contains("not due (last run", o2);
        var (c3, o3) = m.AutoUpgrade("--now");
        Assert.True(c3 == 0, o3);
        Assert.Contains($"generation {staged} is staged and not booted yet: not stacking on it ([auto] stack = no)", o3);
        Assert.Equal(count + 1, s.GenerationCount);
        Assert.Equal(staged, s.Slot(0));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
    }

    [Fact]
    public void With_stack_yes_a_second_run_stacks_on_the_unbooted_generation()
    {
        using var m = WithHelloUpgradable();
        m.SetAuto("policy = stage\nstack = yes\n");
        var s = m.System;
        Assert.Equal(0, m.AutoUpgrade().Code);
        var staged = s.Slot(0);
        // A forced run: due, the staged one waits, and stacking is allowed.
        var (code, output) = m.AutoUpgrade("--now");
        Assert.True(code == 0, output);
        Assert.Contains($"stacking on {staged}, not booted yet ([auto] stack = yes)", output);
        // Nothing is left to upgrade on top of it: the change altered nothing, no generation.
        Assert.Contains("stage: nothing to upgrade, no new generation", output);
        Assert.Equal(staged, s.Slot(0));
    }

    [Fact]
    public void A_run_missed_while_the_machine_was_off_is_caught_up_and_a_recent_one_is_not_repeated()
    {
        using var m = WithHelloUpgradable();
        m.SetAuto("policy = check\ninterval = 1d\n");
        File.WriteAllText(m.StampPath, "[auto-upgrade]\nlast_run = 2020-01-01T03:00:00Z\nresult = check: no upgrades\n");
        var (code, output) = m.AutoUpgrade();
        Assert.True(code == 0, output);
        Assert.Contains("policy check, due (last run 2020-01-01 03:00Z, interval 1d)", output);
        Assert.Contains("check: 1 upgrade step(s)", output);
        var stamp = File.ReadAllText(m.StampPath);
        Assert.DoesNotContain("2020-01-01", stamp);

        var recent = DateTime.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(m.StampPath, $"[auto-upgrade]\nlast_run = {recent}\nresult = check: no upgrades\n");
        var (c2, o2) = m.AutoUpgrade();
        Assert.True(c2 == 0, o2);
        Assert.Contains("not due", o2);
        Assert.DoesNotContain("upgrade step", o2);
        Assert.Contains(recent, File.ReadAllText(m.StampPath));
    }

    [Fact]
    public void A_held_lock_makes_the_run_give_up_at_once_without_a_stamp_so_the_next_hourly_run_does_it()
    {
        using var m = WithHelloUpgradable();
        m.SetAuto("policy = stage\n");
        var s = m.System;
        var count = s.GenerationCount;
        using var holder = Process.Start(new ProcessStartInfo("flock", [Path.Combine(s.Top, ".apkgen.lock"), "sleep", "120"]) { UseShellExecute = false })!;
        try
        {
            WaitUntil(() => Sh.Try("flock", "-n", Path.Combine(s.Top, ".apkgen.lock"), "true").Code != 0, "flock did not take the lock");
            var (code, output) = m.AutoUpgrade();
            Assert.True(code == 75, $"exit {code}: {output}");
            Assert.Contains("another apkgen run holds the lock: nothing done, the next hourly run tries again", output);
            Assert.False(File.Exists(m.StampPath));
            Assert.Equal(count, s.GenerationCount);
        }
        finally
        {
            // flock's child (sleep) holds the lock too: end both.
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
        var (c2, o2) = m.AutoUpgrade();
        Assert.True(c2 == 0, o2);
        Assert.Equal(count + 1, s.GenerationCount);
    }

    [Fact]
    public async Task A_change_while_the_stage_runs_is_refused_because_the_stage_holds_the_change_lock()
    {
        // A mirror that accepts and never answers keeps apk -U upgrade inside the stage.
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        var port = ((IPEndPoint)stalled.LocalEndpoint).Port;
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<Socket>();
        var acceptor = Task.Run(() =>
        {
            try { while (true) accepted.Enqueue(stalled.AcceptSocket()); }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        });
        using var m = WithHelloUpgradable($"http://127.0.0.1:{port}/repo");
        m.SetAuto("policy = stage\n");
        var s = m.System;
        var count = s.GenerationCount;
        var stage = Task.Run(() => m.AutoUpgrade());
        try
        {
            WaitUntil(() => accepted.Count > 0, "apk -U upgrade in the stage never reached the mirror");
            var (code, output) = ApkgenCli.RunApkgen(m.Env, "--config", s.ConfigPath, "exec", "--wait", "0", "--", "/bin/true");
            Assert.True(code == 75, $"exit {code}: {output}");
            Assert.Contains("another apkgen run holds the lock", output);
        }
        finally
        {
            stalled.Stop();
            foreach (var a in accepted) a.Dispose();
        }
        // The mirror gone, apk ends (how, apk decides); the stage made nothing from it.
        var (_, so) = await stage;
        Assert.Contains("apkgen auto-upgrade: policy stage, due", so);
        Assert.Equal(count, s.GenerationCount);
        await acceptor.WaitAsync(TimeSpan.FromSeconds(5));
    }

    static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException(what + " within 60 s");
            Thread.Sleep(100);
        }
    }
}
