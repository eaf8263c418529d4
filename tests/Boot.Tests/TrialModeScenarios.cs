using Apkgen.Boot.Tests.Harness;
using static Apkgen.Boot.Tests.Harness.GuestState;

namespace Apkgen.Boot.Tests;

/// <summary>Scenario 4 of issue 7: trial mode. A commit arms a one-shot UEFI BootNext to rEFInd
/// with -c trial.conf; the firmware clears it before starting it, so a kernel panic (panic=5)
/// resets into the normal menu, i.e. the last good generation, whose early check marks the
/// trial bad.</summary>
public sealed class TrialModeScenarios(TrialModeImage image, ITestOutputHelper output) : IClassFixture<TrialModeImage>
{
    // Init exits at once: the kernel panics ("Attempted to kill init!") and panic=5 resets.
    const string BreakInit = "sh -c 'rm -f /sbin/init && printf \"#!/bin/sh\\nexit 1\\n\" >/sbin/init && chmod +x /sbin/init'";

    [Fact]
    public async Task A_trial_whose_kernel_panics_returns_to_the_good_generation_which_marks_it_bad()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(A_trial_whose_kernel_panics_returns_to_the_good_generation_which_marks_it_bad), output, TimeSpan.FromMinutes(20));

        var first = await guest.BootAsync(Run("exec", $"apkgen exec -- {BreakInit}") + "efibootmgr -v | sed 's/^/APKGEN-EFI /'\n" + Report("after"));
        guest.Check(first.Rc("exec") == 0, "apkgen exec failed in the guest");
        var good = first.Marker?.GenerationId;
        var list = first.List("after");
        var trial = list?.FirstOrDefault(g => g.Trial);
        guest.Check(trial is not null && trial.Id != good, "apkgen exec in trial mode left no pending generation");
        guest.Check(list!.InSlot(0)?.Id == good, "trial mode changed slot 0 before the trial booted");
        guest.Check(first.Lines("APKGEN-EFI ").Any(l => l.StartsWith("BootNext", StringComparison.Ordinal)), "no BootNext was armed: apkgen's commit in trial mode must arm a one-shot BootNext to rEFInd with -c trial.conf (DESIGN.md, trial mode)");

        var second = await guest.BootAsync("echo APKGEN-TRIAL-CAME-UP\n");
        guest.Check(second.Run.Serial.Contains("/pending/0/@", StringComparison.Ordinal), "the firmware did not start the trial (no /pending/0/@ on the kernel command line)");
        guest.Check(second.Panicked, "the trial's kernel did not panic");
        guest.Check(second.Lines("APKGEN-TRIAL-CAME-UP").Count == 0, "the broken trial came up");

        var third = await guest.BootAsync(Report("after"));
        guest.Check(third.Marker is { Slot: "0", Subvol: "/current/0/@" } m && m.GenerationId == good,
            $"after the panic the firmware did not return to the good generation {good} in slot 0");
        var after = third.List("after");
        guest.Check(after?.SingleOrDefault(g => g.Id == trial!.Id)?.State == "bad", "the good generation did not mark the failed trial bad");
        guest.Check(after?.Any(g => g.Trial) == false, "a trial is still pending after it failed");
    }
}
