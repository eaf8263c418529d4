using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;
using NSubstitute;

namespace Apkgen.BootCheck.Tests;

/// <summary>Boot assessment end to end on a real loop btrfs, booted generation from a mountinfo fixture.</summary>
public class BootRunnerTests
{
    [Fact]
    public void The_early_check_on_a_good_generation_changes_nothing_and_starts_no_process()
    {
        using var rig = new Rig();
        using (var s = Session.Open(rig.Ctx)) rig.Runner.Apply(s, new BootPlan([new SetBootState(rig.First, BootState.Good, "test")], []));
        var before = File.ReadAllText(rig.TopLevel.InfoFilePath(rig.First));
        rig.Boot(rig.First);
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal(before, File.ReadAllText(rig.TopLevel.InfoFilePath(rig.First)));
        rig.Processes.DidNotReceiveWithAnyArgs().RunCaptured(default!);
        rig.Processes.DidNotReceiveWithAnyArgs().RunInteractive(default!);
        Assert.True(File.Exists(Path.Combine(rig.RunDirPath, "early-done")));
        Assert.Equal("", rig.Err.ToString());
    }

    [Fact]
    public void Attempts_are_spent_durably_one_per_boot_and_a_boot_with_none_left_demotes_and_reboots()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        for (var expected = 2; expected >= 0; expected--)
        {
            rig.Boot(n);
            Assert.Equal(0, rig.Runner.Early());
            Assert.Equal(expected, rig.Info(n).AttemptsLeft);
            Assert.Equal(BootState.Pending, rig.Info(n).State);
            Assert.Equal(n, rig.CurrentSlots[0]);
        }
        Assert.Equal(0, rig.Reboots);

        rig.Boot(n);
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal(1, rig.Reboots);
        Assert.Equal([rig.First, rig.First, rig.First, rig.First], rig.CurrentSlots);
        var info = rig.Info(n);
        Assert.Equal(BootState.Bad, info.State);
        Assert.Equal("no boot attempt left: 3 boot(s) did not pass the health checks", info.Reason);
        Assert.True(Directory.Exists(rig.TopLevel.RootSubvolumePath(n)), "the demoted generation is kept until gc");
        Assert.Contains($"demoted {n}: no boot attempt left", rig.EventLog);
        Assert.Contains($"demoted {n}", File.ReadAllText(Path.Combine(rig.Top, "bootcheck.notice")));
        Assert.Contains(rig.Logged, l => l.StartsWith($"demoted {n}", StringComparison.Ordinal));

        // The next boot runs the fallback; its late check shows what happened at login.
        rig.Boot(rig.First);
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal(0, rig.Runner.Late());
        Assert.Contains($"demoted {n}", File.ReadAllText(Path.Combine(rig.RunDirPath, "notice")));
        Assert.False(File.Exists(Path.Combine(rig.Top, "bootcheck.notice")));
        Assert.Equal(BootState.Good, rig.Info(rig.First).State);
    }

    [Fact]
    public void Running_the_early_check_twice_in_one_boot_spends_one_attempt()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.Boot(n);
        rig.Runner.Early();
        rig.Runner.Early();
        Assert.Equal(2, rig.Info(n).AttemptsLeft);
        Assert.Contains("already ran in this boot", rig.Err.ToString());
    }

    [Fact]
    public void Passing_health_checks_mark_the_booted_generation_good()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.HealthCheck("10-ok", "exit 0");
        rig.HealthCheck("20-ok", "echo fine");
        rig.Boot(n);
        rig.Runner.Early();
        Assert.Equal(0, rig.Runner.Late());
        var info = rig.Info(n);
        Assert.Equal(BootState.Good, info.State);
        Assert.Equal("passed 2 health checks", info.Reason);
        Assert.Equal(n, rig.CurrentSlots[0]);
        Assert.Equal(0, rig.Reboots);
        Assert.Contains($"{n} passed 2 health checks: marked good", rig.EventLog);
    }

    [Fact]
    public void A_failed_health_check_demotes_the_generation_and_reboots()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.HealthCheck("10-ok", "exit 0");
        rig.HealthCheck("20-net", "echo 'no route to host' >&2; exit 3");
        rig.Boot(n);
        rig.Runner.Early();
        Assert.Equal(0, rig.Runner.Late());
        Assert.Equal(1, rig.Reboots);
        Assert.Equal(rig.First, rig.CurrentSlots[0]);
        Assert.Equal("health check 20-net exited with 3 (no route to host)", rig.Info(n).Reason);
        Assert.Equal(BootState.Bad, rig.Info(n).State);
    }

    [Fact]
    public void A_hung_health_check_is_killed_at_its_timeout_and_counts_as_failed()
    {
        using var rig = new Rig(new BootcheckSection { HealthTimeout = 1 });
        var n = rig.Commit();
        rig.HealthCheck("10-hang", "sleep 30");
        rig.Boot(n);
        rig.Runner.Early();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, rig.Runner.Late());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the late check took {clock.Elapsed}");
        Assert.Equal(1, rig.Reboots);
        Assert.Equal("health check 10-hang timed out after 1 s and was killed", rig.Info(n).Reason);
    }

    [Fact]
    public void With_on_failure_warn_a_failed_check_leaves_the_generation_pending_and_tells_the_next_login()
    {
        using var rig = new Rig(new BootcheckSection { OnFailure = HealthFailureAction.Warn });
        var n = rig.Commit();
        rig.HealthCheck("10-fail", "exit 1");
        rig.Boot(n);
        rig.Runner.Early();
        rig.Runner.Late();
        Assert.Equal(0, rig.Reboots);
        Assert.Equal(BootState.Pending, rig.Info(n).State);
        Assert.Equal(n, rig.CurrentSlots[0]);
        Assert.Contains("on_failure = warn", File.ReadAllText(Path.Combine(rig.RunDirPath, "notice")));
    }

    [Fact]
    public void A_generation_booted_by_hand_from_a_fallback_slot_is_neither_counted_nor_demoted()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.HealthCheck("10-fail", "exit 1");
        rig.Boot(rig.First, slot: 1); // the first generation is still pending (init), now in slot 1
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal(3, rig.Info(rig.First).AttemptsLeft);
        Assert.Equal(0, rig.Runner.Late());
        Assert.Equal(0, rig.Reboots);
        Assert.Equal(BootState.Pending, rig.Info(rig.First).State);
        Assert.Equal([n, rig.First, rig.First, rig.First], rig.CurrentSlots);
        Assert.Equal(3, rig.Info(n).AttemptsLeft);
        Assert.Contains("not demoted for that", rig.EventLog);
    }

    [Fact]
    public void The_first_generation_is_never_demoted_into_nothing()
    {
        using var rig = new Rig(new BootcheckSection { Attempts = 1 });
        rig.Boot(rig.First);
        rig.Runner.Early();
        Assert.Equal(0, rig.Info(rig.First).AttemptsLeft);
        rig.Boot(rig.First);
        rig.Runner.Early();
        rig.HealthCheck("10-fail", "exit 1");
        rig.Runner.Late();
        Assert.Equal(0, rig.Reboots);
        Assert.Equal([rig.First, rig.First, rig.First, rig.First], rig.CurrentSlots);
        Assert.Equal(BootState.Pending, rig.Info(rig.First).State);
        Assert.Contains("no other generation exists to fall back to: it is kept", rig.EventLog);
    }

    static IEfiBoot Efi(bool available)
    {
        var efi = Substitute.For<IEfiBoot>();
        efi.Available.Returns(available);
        efi.EnsureEntry(Arg.Any<EfiBootEntry>()).Returns("0007");
        return efi;
    }

    static Rig TrialRig(string? refindOutput = "/boot/efi/EFI/refind/apkgen.conf") =>
        new(new BootcheckSection { Mode = BootcheckMode.Trial, EfiDisk = "/dev/vda", EfiPartition = 1 }, refindOutput: refindOutput);

    [Fact]
    public void Without_a_managed_rEFInd_there_is_no_trial_conf_and_arming_falls_back_to_counter_mode()
    {
        using var rig = TrialRig(refindOutput: null);
        var t = rig.Commit(trial: true);
        var efi = Efi(true);
        using (var s = Session.Open(rig.Ctx))
            Assert.Equal(ArmOutcome.FellBackToCounter, TrialArming.Arm(rig.Ctx, s, efi));
        efi.DidNotReceiveWithAnyArgs().SetBootNext(default!);
        Assert.Equal(t, rig.CurrentSlots[0]);
        Assert.Contains("[refind] output is not set", rig.Err.ToString());
    }

    [Fact]
    public void Arming_a_trial_creates_the_rEFInd_entry_and_sets_BootNext_once()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        var efi = Efi(true);
        using (var s = Session.Open(rig.Ctx))
            Assert.Equal(ArmOutcome.Armed, TrialArming.Arm(rig.Ctx, s, efi));
        efi.Received(1).EnsureEntry(Arg.Is<EfiBootEntry>(e => e.Label == "apkgen trial" && e.Disk == "/dev/vda" && e.Partition == 1
            && e.Loader == @"\EFI\refind\refind_x64.efi" && e.LoadOptions.SequenceEqual(EfiBootEntry.TrialLoadOptions("trial.conf"))));
        efi.Received(1).SetBootNext("0007");
        var state = rig.Read();
        Assert.Equal(t, state.Pending!.Slots[0]);
        Assert.Equal(rig.First, state.Current.Slots[0]);
    }

    [Fact]
    public void Without_efivars_arming_says_so_and_falls_back_to_counter_mode()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        var efi = Efi(false);
        using (var s = Session.Open(rig.Ctx))
            Assert.Equal(ArmOutcome.FellBackToCounter, TrialArming.Arm(rig.Ctx, s, efi));
        efi.DidNotReceiveWithAnyArgs().EnsureEntry(default!);
        efi.DidNotReceiveWithAnyArgs().SetBootNext(default!);
        var state = rig.Read();
        Assert.Null(state.Pending);
        Assert.Equal(t, state.Current.Slots[0]);
        Assert.Contains("UEFI variables are not available", rig.Err.ToString());
        Assert.Contains("falling back to counter mode", rig.Err.ToString());
        rig.Boot(t);
        rig.Runner.Early();
        Assert.Equal(2, rig.Info(t).AttemptsLeft);
    }

    [Fact]
    public void A_trial_without_a_kernel_is_never_armed_because_rEFInd_would_hang_in_its_menu()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true, withKernel: false);
        var efi = Efi(true);
        using (var s = Session.Open(rig.Ctx))
        {
            var e = Assert.Throws<ApkgenException>(() => TrialArming.Arm(rig.Ctx, s, efi));
            Assert.Equal(ExitCodes.DataError, e.ExitCode);
        }
        efi.DidNotReceiveWithAnyArgs().SetBootNext(default!);
        Assert.Null(rig.Read().Pending);
        Assert.Equal(BootState.Bad, rig.Info(t).State);
    }

    [Fact]
    public void A_trial_that_boots_and_passes_its_checks_becomes_current()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        var pendingLinks = rig.Read().Pending!.Id;
        rig.HealthCheck("10-ok", "exit 0");
        rig.Boot(t, link: "pending");
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal(3, rig.Info(t).AttemptsLeft);
        Assert.Equal(0, rig.Runner.Late());
        var state = rig.Read();
        Assert.Null(state.Pending);
        Assert.Equal(pendingLinks, state.Current.Id);
        Assert.Equal([t, rig.First, rig.First, rig.First], state.Current.Slots);
        Assert.Equal(BootState.Good, rig.Info(t).State);
        Assert.Equal(0, rig.Reboots);
        // The boot menu follows: trial.conf has no trial entry left, the stanzas name the new slot 0.
        var esp = Path.GetDirectoryName(rig.Ctx.Config.Refind.Output!)!;
        Assert.Contains("boot menu updated", rig.Err.ToString());
        Assert.Contains("Nothing is pending", File.ReadAllText(Path.Combine(esp, "trial.conf")));
        Assert.Contains("apk add test", File.ReadAllText(rig.Ctx.Config.Refind.Output!).Split("menuentry")[1]);
    }

    [Fact]
    public void When_another_generation_boots_while_a_trial_is_pending_the_trial_failed()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        var current = rig.Read().Current.Id;
        rig.Boot(rig.First); // the firmware fell back to BootOrder: panic, hang, reset
        Assert.Equal(0, rig.Runner.Early());
        var state = rig.Read();
        Assert.Null(state.Pending);
        Assert.Equal(current, state.Current.Id);
        Assert.Equal(BootState.Bad, rig.Info(t).State);
        Assert.StartsWith("its trial boot did not come up", rig.Info(t).Reason);
        Assert.Equal(0, rig.Reboots);
        Assert.Contains($"trial of {t} failed", File.ReadAllText(Path.Combine(rig.RunDirPath, "notice")));
    }

    [Fact]
    public void A_trial_that_fails_a_health_check_is_marked_bad_and_the_machine_reboots_into_current()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        var current = rig.Read().Current.Id;
        rig.HealthCheck("10-fail", "exit 1");
        rig.Boot(t, link: "pending");
        rig.Runner.Early();
        rig.Runner.Late();
        Assert.Equal(1, rig.Reboots);
        var state = rig.Read();
        Assert.Null(state.Pending);
        Assert.Equal(current, state.Current.Id);
        Assert.Equal(BootState.Bad, rig.Info(t).State);
    }

    [Fact]
    public void Mark_bad_takes_slot_0_out_without_a_reboot_and_mark_good_ends_the_counting()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.Boot(rig.First, slot: 1);
        Assert.Equal(0, rig.Runner.MarkGood(rig.First));
        Assert.Equal(BootState.Good, rig.Info(rig.First).State);
        Assert.Equal(0, rig.Runner.MarkBad(n, "broke nginx"));
        Assert.Equal(BootState.Bad, rig.Info(n).State);
        Assert.Equal("broke nginx", rig.Info(n).Reason);
        Assert.Equal(rig.First, rig.CurrentSlots[0]);
        Assert.Equal(0, rig.Reboots);
        var e = Assert.Throws<ApkgenException>(() => rig.Runner.MarkBad(rig.First, null));
        Assert.Equal(ExitCodes.NoPermission, e.ExitCode);
        Assert.Throws<ApkgenException>(() => rig.Runner.MarkGood("nosuchid"));
    }

    [Fact]
    public void Status_shows_the_boot_state_the_trial_and_the_recent_events()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true);
        rig.HealthCheck("10-ok", "exit 0");
        rig.Boot(rig.First);
        rig.Runner.Status();
        var o = rig.Out.ToString();
        Assert.Contains("mode:      trial", o);
        Assert.Contains($"booted:    {rig.First} from current slot 0: pending, 3 attempt(s) left", o);
        Assert.Contains($"pending:   {t}: pending", o);
        Assert.Contains("checks:    1 in", o);
        Assert.Contains("events:    none", o);
    }

    [Fact]
    public void The_early_check_with_nothing_to_do_removes_a_stale_reboot_required_file_itself()
    {
        using var rig = new Rig();
        using (var s = Session.Open(rig.Ctx)) rig.Runner.Apply(s, new BootPlan([new SetBootState(rig.First, BootState.Good, "test")], []));
        rig.Boot(rig.First);
        File.WriteAllText(rig.RebootRequiredFilePath, "stale\n");
        var mountInfoReads = rig.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IMounts.ReadMountInfo));
        Assert.Equal(0, rig.Runner.Early());
        Assert.False(File.Exists(rig.RebootRequiredFilePath), "the early check left a reboot-required file though slot 0 is booted");
        // One session, one mountinfo read: the refresh uses the session's, it opens no second one.
        Assert.Equal(mountInfoReads + 1, rig.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IMounts.ReadMountInfo)));
        Assert.Equal("", rig.Err.ToString());
    }

    [Fact]
    public void The_early_check_of_a_boot_from_a_fallback_slot_writes_the_reboot_required_file()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.Boot(rig.First, slot: 1);
        File.Delete(rig.RebootRequiredFilePath); // a reboot empties /run
        Assert.Equal(0, rig.Runner.Early());
        Assert.Equal($"reboot required: running {rig.First}, the next boot starts {n}\n", File.ReadAllText(rig.RebootRequiredFilePath));
    }

    [Fact]
    public void Mark_bad_of_slot_0_refreshes_the_reboot_required_file_and_status_writes_none()
    {
        using var rig = new Rig();
        var n = rig.Commit();
        rig.Boot(rig.First, slot: 1);
        File.Delete(rig.RebootRequiredFilePath);
        rig.Runner.Status();
        Assert.False(File.Exists(rig.RebootRequiredFilePath), "status wrote the reboot-required file");
        Assert.Equal(0, rig.Runner.MarkBad(n, "broke nginx"));
        // Slot 0 is the booted generation again: no reboot needed, the file stays absent.
        Assert.False(File.Exists(rig.RebootRequiredFilePath), "mark-bad left a reboot-required file though slot 0 is now the booted one");
        Assert.Equal(0, rig.Runner.MarkGood(rig.First));
        Assert.False(File.Exists(rig.RebootRequiredFilePath));
        rig.Boot(n, slot: 1);
        Assert.Equal(0, rig.Runner.MarkGood(rig.First));
        Assert.Equal($"reboot required: running {n}, the next boot starts {rig.First} (older: a rollback)\n", File.ReadAllText(rig.RebootRequiredFilePath));
    }
}
