using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Crash.Tests;

/// <summary>A full disk and a stop signal in the middle of a change: a clear failure and nothing left behind.</summary>
public sealed class FailureTests(Bases bases) : IClassFixture<Bases>
{
    /// <summary>A tiny layout: 256 MiB (mkfs.btrfs's minimum for one device is far below), init-made.</summary>
    static DiskImage Tiny(Bases bases, string name, out string top)
    {
        var img = DiskImage.Create(bases.Dir, name, 256);
        top = img.Mount();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        var (code, output) = RunApkgen("--config", bases.DefaultConfig, "--device", img.Device!, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        return img;
    }

    static List<string> Snapshots(string top) => Directory.GetDirectories(Path.Combine(top, "snapshots")).Select(d => Path.GetFileName(d)!).Order().ToList();

    [Fact]
    public void A_change_that_fills_the_disk_fails_clearly_and_leaves_current_and_snapshots_as_they_were()
    {
        using var img = Tiny(bases, "enospc.img", out var top);
        var device = img.Device!;
        var current = Kit.Current(top);
        var snapshots = Snapshots(top);
        var (code, output) = RunApkgen("--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/dd", "if=/dev/zero", "of=/big", "bs=1M");
        Assert.True(code != 0, output);
        Assert.Contains("No space left on device", output);
        Assert.Contains("discarded", output);
        Assert.Equal(current, Kit.Current(top));
        Assert.Equal(snapshots, Snapshots(top));
        Kit.AssertSlotsReadOnly(top, 4, "after ENOSPC");
        Assert.Empty(Kit.MountsAnywhere(device, top));
        // Nothing left behind includes the space: the discarded snapshot's deletion must be
        // committed and cleaned, or the next command (and the remedy, gc) still finds a full disk.
        var (code2, output2) = RunApkgen("--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/touch", "/etc/after-enospc");
        Assert.True(code2 == 0, $"right after the discarded ENOSPC change, a one-file change fails (exit {code2}): the discarded snapshot's space was not released\n{output2}");
    }

    [Fact]
    public void A_change_that_fills_the_disk_but_exits_0_fails_with_the_full_disk_named_and_leaves_nothing_behind()
    {
        using var img = Tiny(bases, "enospc0.img", out var top);
        var device = img.Device!;
        var current = Kit.Current(top);
        var snapshots = Snapshots(top);
        // A change that ignores its write errors (as a post-install script may): apkgen itself
        // then runs out of space writing metadata or links, or commits what fitted.
        var (code, output) = RunApkgen("--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/sh", "-c",
            "dd if=/dev/zero of=/big bs=1M 2>/dev/null; exit 0");
        if (code == 0)
        {
            // Committed: then it must be a complete, read-only generation in slot 0.
            Assert.NotEqual(current, Kit.Current(top));
            Kit.AssertSlotsReadOnly(top, 4, "committed on a full disk");
            Assert.True(File.Exists(Path.Combine(top, "current/0/@/big")), output);
        }
        else
        {
            Assert.True(code == Core.ExitCodes.NoSpace, $"exit {code}, expected {Core.ExitCodes.NoSpace} (full disk):\n{output}");
            Assert.Contains("full", output);
            Assert.Equal(current, Kit.Current(top));
            var after = Snapshots(top);
            Assert.True(after.SequenceEqual(snapshots), $"left behind in snapshots/: " +
                string.Join(", ", after.Except(snapshots).Select(id => $"{id} [{string.Join(' ', Directory.GetFileSystemEntries(Path.Combine(top, "snapshots", id)).Select(Path.GetFileName))}]")) + "\n" + output);
            Kit.AssertSlotsReadOnly(top, 4, "after ENOSPC in apkgen");
        }
        Assert.Empty(Kit.MountsAnywhere(device, top));
    }

    [Fact]
    public void Sigterm_to_apkgen_during_the_change_discards_the_generation_with_exit_143_and_leaves_no_mount_and_no_process() =>
        StopDuringChange(15, 143, group: false);

    [Fact]
    public void Sighup_to_apkgen_during_the_change_discards_the_generation_with_exit_129_and_leaves_no_mount_and_no_process() =>
        StopDuringChange(1, 129, group: false);

    [Fact]
    public void Ctrl_c_during_the_change_discards_the_generation_with_exit_130_and_leaves_no_mount_and_no_process() =>
        StopDuringChange(2, 130, group: true);

    /// <summary>
    /// Ctrl-C in the instant before the change's process exists (apkgen stopped at the fault
    /// stage "change", just before it starts the child; the signal waits until SIGCONT): the
    /// terminal's SIGINT never reached the child, so apkgen must pass it on, or the change
    /// runs to its end.
    /// </summary>
    [Fact]
    public void Ctrl_c_just_before_the_change_starts_still_stops_the_change_with_exit_130()
    {
        using var img = DiskImage.CopyOf(bases.ExecBaseImage, "signal-early.img");
        var top = img.Mount();
        var device = img.Device!;
        var current = Kit.Current(top);
        const string marker = "331";
        var env = new Dictionary<string, string> { ["APKGEN_FAULT_STAGE"] = "change", ["APKGEN_FAULT_ACTION"] = "stop" };
        using var run = Kit.StartInOwnGroup(env, "--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/sh", "-c", $"sleep {marker}");
        try
        {
            run.WaitStopped("change");
            run.SignalGroup(2);
            run.Signal(18); // SIGCONT
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!run.Exited && DateTime.UtcNow < until) Thread.Sleep(50);
            Assert.True(run.Exited, $"apkgen was still running 60 s after Ctrl-C (sleeps {SleepsOf(marker).Count}): the SIGINT did not reach the change started after it\n{run.Output}");
            var code = run.Wait(5);
            Assert.True(code == 130, $"exit {code}, expected 130:\n{run.Output}");
            Assert.Equal(current, Kit.Current(top));
            Assert.Empty(Kit.MountsAnywhere(device, top));
        }
        finally
        {
            foreach (var pid in SleepsOf(marker)) Sh.Try("kill", "-9", pid);
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> while the change sleeps: to apkgen alone (kill PID), or
    /// to its whole process group as a terminal's Ctrl-C does. apkgen must end within 30 s (the
    /// change would sleep for minutes), discard the generation and leave nothing.
    /// </summary>
    void StopDuringChange(int signal, int expected, bool group)
    {
        using var img = DiskImage.CopyOf(bases.ExecBaseImage, $"signal-{signal}.img");
        var top = img.Mount();
        var device = img.Device!;
        var current = Kit.Current(top);
        var snapshots = Snapshots(top);
        var started = Path.Combine(top, "commons/@var@log/change-started");
        var marker = $"{317 + signal}";
        string[] args = ["--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/sh", "-c",
            $"touch /etc/half; touch /var/log/change-started; sleep {marker}; touch /etc/never"];
        var run = group ? Kit.StartInOwnGroup(null, args) : Kit.Start(null, args);
        var passed = false;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(started) && !run.Exited && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.True(File.Exists(started), "the change never started:\n" + run.Output);
            Thread.Sleep(300);
            if (group) run.SignalGroup(signal); else run.Signal(signal);
            // Two questions, each with its own answer when it fails: did the signal reach the
            // change (its sleep ends), and did apkgen then finish (discard, unmount, delete the
            // snapshot, syncfs: slow when other tests load the disks, so it gets longer).
            var until = DateTime.UtcNow.AddSeconds(30);
            while (!run.Exited && SleepsOf(marker).Count > 0 && DateTime.UtcNow < until) Thread.Sleep(50);
            var sleeping = SleepsOf(marker);
            Assert.True(run.Exited || sleeping.Count == 0, $"the change's sleep {marker} (pids {string.Join(' ', sleeping)}) was still running 30 s after signal {signal}: " +
                $"the signal did not reach the change; apkgen {Kit.State(run.Pid)} in {Wchan(run.Pid)}\n{run.Output}");
            until = DateTime.UtcNow.AddSeconds(90);
            while (!run.Exited && DateTime.UtcNow < until) Thread.Sleep(50);
            Assert.True(run.Exited, $"apkgen was still running 90 s after its change ended on signal {signal}: state {Kit.State(run.Pid)}, " +
                $"waiting in {Wchan(run.Pid)}\n{run.Output}");
            var code = run.Wait(5);
            Assert.True(code == expected, $"exit {code}, expected {expected}:\n{run.Output}");
            Assert.Contains("discarded", run.Output);
            Assert.Equal(current, Kit.Current(top));
            Assert.Equal(snapshots, Snapshots(top));
            Assert.Empty(Kit.MountsAnywhere(device, top));
            passed = true;
        }
        finally
        {
            // Whatever happened, no sleep of the change may survive the test; a leftover is a
            // failure of its own only when everything else passed (else it is a consequence).
            var left = SleepsOf(marker);
            foreach (var pid in left) Sh.Try("kill", "-9", pid);
            run.Dispose();
            if (passed) Assert.True(left.Count == 0, $"the change's 'sleep {marker}' is still running: pids {string.Join(' ', left)}");
        }
    }

    static string Wchan(int pid)
    {
        try { return string.Join(',', Directory.EnumerateDirectories($"/proc/{pid}/task").Select(t => File.ReadAllText(Path.Combine(t, "wchan"))).Distinct()); }
        catch (IOException) { return "?"; }
    }

    static List<string> SleepsOf(string marker) =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)!).Where(p => int.TryParse(p, out _))
            .Where(p => { try { return File.ReadAllText($"/proc/{p}/cmdline") == $"sleep\0{marker}\0"; } catch (IOException) { return false; } })
            .ToList();
}
