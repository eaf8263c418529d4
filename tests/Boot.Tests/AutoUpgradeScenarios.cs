using Apkgen.Boot.Tests.Harness;
using static Apkgen.Boot.Tests.Harness.GuestState;

namespace Apkgen.Boot.Tests;

/// <summary>Issue 17, part 1: unattended upgrades in trial mode with [auto] policy = reboot. The
/// step runs what Alpine's root crontab runs every hour (run-parts /etc/periodic/hourly, where the
/// package puts apkgen-auto-upgrade) after the test repository gains hello 2.0; the job stages
/// 'apk -U upgrade' as a generation and reboots inside the window, and that reboot is the one-shot
/// trial. Nobody touches the guest after that.</summary>
public sealed class AutoUpgradeScenarios(AutoUpgradeImage image, ITestOutputHelper output) : IClassFixture<AutoUpgradeImage>
{
    const string Publish = "cp /var/cache/apkgen-test-repo-update/x86_64/* /var/cache/apkgen-test-repo/x86_64/\n";

    // What crond runs hourly, then the step lets busybox init do the reboot the job asked for.
    const string Cron = """
        grep periodic/hourly /etc/crontabs/root | sed 's/^/APKGEN-CRONTAB /'
        run-parts /etc/periodic/hourly >/tmp/cron.out 2>&1
        rc=$?
        sed 's/^/APKGEN-OUT-cron /' /tmp/cron.out
        printf 'APKGEN-RC-cron %s\n' "$rc"
        grep 'auto-upgrade:' /var/log/messages | sed 's/^/APKGEN-SYSLOG /'
        efibootmgr | sed 's/^/APKGEN-EFI /'

        """;

    const string LetItReboot = "if grep -q 'rebooting into' /tmp/cron.out; then touch /run/apkgen-test-step-reboots; fi\n";

    const string DryRun = "apkgen auto-upgrade --dry-run 2>&1 | sed 's/^/APKGEN-PLAN /'\n";

    [Fact]
    public async Task An_unattended_upgrade_whose_kernel_panics_comes_back_to_the_good_generation_with_no_human()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(An_unattended_upgrade_whose_kernel_panics_comes_back_to_the_good_generation_with_no_human), output, TimeSpan.FromMinutes(25));

        var first = await guest.BootAsync($"touch {AutoUpgradeImage.BreakNextChangeFlag}\n" + Publish + Cron + Report("after") + LetItReboot);
        var good = first.Marker!.GenerationId;
        var staged = CheckStagedAndRebooted(guest, first, good);

        // The trial: no step; its init exits, the kernel panics, panic=5 resets.
        var second = await guest.BootAsync("echo APKGEN-TRIAL-CAME-UP\n");
        guest.Check(second.Run.Serial.Contains("/pending/0/@", StringComparison.Ordinal), "the reboot was not the trial (no /pending/0/@ on the kernel command line)");
        guest.Check(second.Panicked, "the staged upgrade's kernel did not panic");
        guest.Check(second.Lines("APKGEN-TRIAL-CAME-UP").Count == 0, "the broken upgrade came up");

        var third = await guest.BootAsync(Report("after") + DryRun);
        guest.Check(third.Marker is { Slot: "0", Subvol: "/current/0/@" } m && m.GenerationId == good,
            $"after the panic the firmware did not return to the good generation {good} in slot 0");
        var after = third.List("after");
        guest.Check(after?.SingleOrDefault(g => g.Id == staged)?.State == "bad", "the good generation did not mark the failed upgrade bad");
        guest.Check(after?.Any(g => g.Trial) == false, "a trial is still pending after it failed");
        var plan = third.Lines("APKGEN-PLAN ");
        guest.Check(plan.Contains("work: none") && plan.Any(l => l.Contains("not due", StringComparison.Ordinal)),
            "the last-run stamp did not survive the reboots (the next hourly run would stage again at once):\n" + string.Join('\n', plan));
    }

    [Fact]
    public async Task An_unattended_upgrade_that_boots_well_becomes_current()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(An_unattended_upgrade_that_boots_well_becomes_current), output, TimeSpan.FromMinutes(20));

        var first = await guest.BootAsync(Captured("hello1", "hello") + Publish + Cron + Report("after") + LetItReboot);
        var good = first.Marker!.GenerationId;
        guest.Check(first.Lines("APKGEN-OUT-hello1 ").Contains("hello 1.0"), "the first generation does not have hello 1.0");
        var staged = CheckStagedAndRebooted(guest, first, good);

        var second = await guest.BootAsync(Captured("hello2", "hello") + Report("after") + DryRun);
        guest.Check(second.Marker is { Subvol: "/pending/0/@" } m && m.GenerationId == staged,
            $"the reboot did not boot the staged upgrade {staged} as the trial");
        guest.Check(second.Lines("APKGEN-OUT-hello2 ").Contains("hello 2.0"), "hello does not print 'hello 2.0' in the upgrade");
        var after = second.List("after");
        var upgrade = after?.SingleOrDefault(g => g.Id == staged);
        guest.Check(upgrade is { State: "good", Trial: false } && upgrade.Slots.Contains(0), $"the upgrade {staged} did not become current (good, in slot 0): {upgrade}");
        guest.Check(after!.SingleOrDefault(g => g.Id == good)?.Slots.Contains(1) == true, "the previous generation is not the fallback in slot 1");
        guest.Check(second.Lines("APKGEN-PLAN ").Contains("work: none"), "the next hourly run would stage again at once:\n" + string.Join('\n', second.Lines("APKGEN-PLAN ")));
    }

    /// <summary>The first boot's checks: the job ran from cron's hourly directory, staged one trial
    /// generation on the booted one, armed BootNext, logged to syslog and asked for the reboot.</summary>
    static string CheckStagedAndRebooted(GuestMachine guest, BootRecord first, string good)
    {
        var said = string.Join('\n', first.Lines("APKGEN-OUT-cron "));
        guest.Check(first.Lines("APKGEN-CRONTAB ").Count > 0, "the guest's root crontab does not run /etc/periodic/hourly");
        guest.Check(first.Rc("cron") == 0, "run-parts /etc/periodic/hourly failed:\n" + said);
        guest.Check(said.Contains("apkgen auto-upgrade: policy reboot, due (no run recorded yet)", StringComparison.Ordinal),
            "the hourly job did not run apkgen auto-upgrade with policy reboot:\n" + said);
        var list = first.List("after");
        var trial = list?.SingleOrDefault(g => g.Trial);
        guest.Check(list is [_, _] && trial is not null && trial.Parent == good, "the job did not stage exactly one trial generation on the booted one:\n" + said);
        guest.Check(list.InSlot(0)?.Id == good, "the job changed slot 0 before the trial booted");
        guest.Check(trial.Command == "apk -U upgrade", $"the staged generation was not made as 'apk -U upgrade' through the wrapper: {trial.Command}");
        guest.Check(first.Lines("APKGEN-EFI ").Any(l => l.StartsWith("BootNext", StringComparison.Ordinal)), "no BootNext was armed for the trial");
        guest.Check(said.Contains($"rebooting into generation {trial.Id}", StringComparison.Ordinal), "the job did not reboot inside the window " + AutoUpgradeImage.Window + ":\n" + said);
        var syslog = first.Lines("APKGEN-SYSLOG ");
        guest.Check(syslog.Any(l => l.Contains("apkgen[", StringComparison.Ordinal) && l.Contains($"rebooting into generation {trial.Id}", StringComparison.Ordinal)),
            "syslog (/var/log/messages) does not have the job's lines:\n" + string.Join('\n', syslog));
        guest.Check(first.Lines("APKGEN-STEP-REBOOTS").Count == 1 && first.Rebooted, "the guest did not reboot after the job asked for it");
        return trial.Id;
    }
}
