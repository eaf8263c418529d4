using System.Globalization;
using Apkgen.Boot.Tests.Harness;
using static Apkgen.Boot.Tests.Harness.GuestState;

namespace Apkgen.Boot.Tests;

/// <summary>Scenarios 1, 2, 3, 5 and 6 of issue 7 in counter mode (the default): apkgen made the
/// layout, apkgen-refind the menu, apkgen-bootcheck's OpenRC services judge each boot. Each test
/// boots its own copy of the class's image; every failure carries the serial logs.</summary>
public sealed partial class CounterModeScenarios(CounterModeImage image, ITestOutputHelper output) : IClassFixture<CounterModeImage>
{
    const string Change = "sh -c 'echo changed-by-exec >/etc/apkgen-test-change'";

    [Fact]
    public async Task First_boot_marks_generation_1_good()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(First_boot_marks_generation_1_good), output, TimeSpan.FromMinutes(10));

        var boot = await guest.BootAsync(Report("after"));

        guest.Check(boot.Marker is { Slot: "0" }, "the first boot did not reach the default runlevel from slot 0");
        var list = boot.List("after");
        guest.Check(list is [_], "apkgen list in the guest did not show exactly one generation");
        guest.Check(list![0].Booted && list[0].Slots.Contains(0), "generation 1 is not the booted one in slot 0");
        guest.Check(list[0].State == "good", $"generation 1 is '{list[0].State}' after its first boot, not 'good'");
    }

    [Fact]
    public async Task A_change_made_with_apkgen_exec_boots_from_slot_0_and_is_marked_good()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(A_change_made_with_apkgen_exec_boots_from_slot_0_and_is_marked_good), output, TimeSpan.FromMinutes(15));

        var first = await guest.BootAsync(Run("exec", $"apkgen exec -- {Change}") + Report("after"));
        guest.Check(first.Rc("exec") == 0, "apkgen exec failed in the guest");
        var made = first.List("after");
        guest.Check(made is [_, _], "apkgen exec did not make a second generation");
        var change = made!.InSlot(0)!;
        var old = made.Single(g => g.Id != change.Id);
        guest.Check(change.Parent == old.Id && old.Slots.Contains(1), "the new generation is not in slot 0 with its parent in slot 1");

        var second = await guest.BootAsync("cat /etc/apkgen-test-change\n" + Report("after"));
        guest.Check(second.Marker is { Slot: "0" } m && m.GenerationId == change.Id,
            $"the reboot did not boot the new generation {change.Id} from slot 0");
        guest.Check(second.Run.Serial.Contains("\nchanged-by-exec", StringComparison.Ordinal), "the booted root lacks the change");
        var after = second.List("after");
        guest.Check(after?.SingleOrDefault(g => g.Id == change.Id)?.State == "good", "the new generation was not marked good");
        var menu = second.Menu("after");
        guest.Check(menu.Count > 0, "no stanza file from apkgen-refind on the ESP");
        var entries = menu.Where(l => l.TrimStart().StartsWith("menuentry", StringComparison.Ordinal) || l.TrimStart().StartsWith("submenuentry", StringComparison.Ordinal)).ToList();
        guest.Check(entries.Count >= 2 && entries[0].Contains("exec", StringComparison.Ordinal) && entries[1].Contains("init", StringComparison.Ordinal),
            "the menu labels do not say that slot 0 is the exec change and slot 1 the first generation "
            + "(apkgen must rewrite the [refind] output after every commit, DESIGN.md step 9):\n" + string.Join('\n', entries));
    }

    [Fact]
    public async Task A_generation_whose_health_check_fails_is_demoted_and_the_previous_good_one_boots_with_no_human()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(A_generation_whose_health_check_fails_is_demoted_and_the_previous_good_one_boots_with_no_human), output, TimeSpan.FromMinutes(20));
        const string failingCheck = "sh -c 'mkdir -p /etc/apkgen/health.d && printf \"#!/bin/sh\\necho APKGEN-HEALTH-FAILING on purpose\\nexit 1\\n\" >/etc/apkgen/health.d/50-fail && chmod +x /etc/apkgen/health.d/50-fail'";

        var first = await guest.BootAsync(Run("exec", $"apkgen exec -- {failingCheck}") + Report("after"));
        guest.Check(first.Rc("exec") == 0, "apkgen exec failed in the guest");
        var broken = first.List("after")?.InSlot(0);
        guest.Check(broken is not null && first.Marker is { } m1 && broken.Id != m1.GenerationId, "apkgen exec did not put a new generation in slot 0");
        var good = first.Marker!.GenerationId;

        // The late check fails and reboots: no step, the boot must end by itself with a reboot.
        var second = await guest.BootAsync(step: null);
        guest.Check(second.Marker?.GenerationId == broken!.Id, $"the second boot did not try the new generation {broken.Id}");
        guest.Check(second.Rebooted, "the failed health check did not reboot the guest");

        var third = await guest.BootAsync(Report("after"));
        guest.Check(third.Marker is { Slot: "0" } m3 && m3.GenerationId == good,
            $"after the demotion slot 0 did not boot the previous good generation {good}");
        var list = third.List("after");
        guest.Check(list?.SingleOrDefault(g => g.Id == broken.Id)?.State == "bad", "the generation whose check failed is not marked bad");
        guest.Check(list?.InSlot(0)?.Id == good, "slot 0 is not the previous good generation");
    }

    [Fact]
    public async Task Power_cuts_during_apkgen_exec_always_leave_a_good_generation_to_boot()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(Power_cuts_during_apkgen_exec_always_leave_a_good_generation_to_boot), output, TimeSpan.FromMinutes(30));
        var cuts = int.TryParse(Environment.GetEnvironmentVariable("APKGEN_BOOT_POWER_CUTS"), out var n) ? n : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("APKGEN_BOOT_SEED"), out var s) ? s : Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"power cuts: {cuts}, seed {seed} (APKGEN_BOOT_SEED={seed} repeats the same moments)");

        // An uncut run first: how long apkgen exec takes here bounds the random moments.
        var boot = await guest.BootAsync(VerifyChanges + TimedChange(0));
        CheckGoodBoot(guest, boot);
        guest.Check(boot.Rc("exec-0") == 0, "the uncut apkgen exec failed");
        var seconds = boot.Lines("APKGEN-EXEC-SECONDS ").Select(x => double.Parse(x, CultureInfo.InvariantCulture)).LastOrDefault();
        // The commit (syncfs, rename, syncfs) is the last part of that time: the window ends there.
        var window = TimeSpan.FromSeconds(Math.Max(seconds, 1));
        output.WriteLine($"apkgen exec took {seconds:F1} s in the guest; cuts land within {window.TotalSeconds:F1} s of its start");

        for (var cut = 1; cut <= cuts; cut++)
        {
            // Stratified: cut k lands at random in the k-th of n equal parts of the window, so
            // the early (snapshot), middle (change) and late (commit, syncfs, rename) stages all get cuts.
            var delay = TimeSpan.FromSeconds((cut - 1 + random.NextDouble()) / cuts * window.TotalSeconds);
            var start = $"APKGEN-EXEC-START {cut}";
            boot = await guest.BootAsync(VerifyChanges + TimedChange(cut), serial => serial.Contains(start, StringComparison.Ordinal) ? delay : null);
            output.WriteLine($"cut {cut}: power cut {delay.TotalSeconds:F1} s after exec started; the run {(boot.Run.End == QemuEnd.PowerCut ? "was cut" : "ended first: " + boot.Run.End)}");
            CheckGoodBoot(guest, boot);
        }
        boot = await guest.BootAsync(VerifyChanges);
        CheckGoodBoot(guest, boot);
    }

    // Each boot's step verifies before it starts the next change: what it sees is what the
    // previous power cut left.
    static void CheckGoodBoot(GuestMachine guest, BootRecord boot)
    {
        guest.Check(boot.Marker is { Slot: "0" } && !boot.Panicked, $"boot {boot.Number} did not reach a generation from slot 0");
        guest.Check(boot.Lines("APKGEN-VERIFY-BAD").Count == 0, $"boot {boot.Number} booted a generation with a damaged change");
        guest.Check(boot.List("verify")?.SingleOrDefault(g => g.Booted)?.State == "good", $"the generation of boot {boot.Number} is not good");
    }

    // Every change directory in the booted root must be complete: exec commits only after the
    // command finished, so a partial one (no MANIFEST, or a file that does not match) is a broken
    // generation. Zero-length files after a crash are what a missing syncfs gives (CRASH-TESTING.md).
    const string VerifyChanges = """
        for d in /opt/apkgen-cut-*; do
          [ -d "$d" ] || continue
          if [ -f "$d/MANIFEST" ] && (cd "$d" && sha256sum -c -s MANIFEST); then echo "APKGEN-VERIFY-OK $d"; else echo "APKGEN-VERIFY-BAD $d"; fi
        done
        printf 'APKGEN-LIST-verify %s\n' "$(apkgen list --json | tr -d '\n')"

        """;

    static string TimedChange(int n) => $$"""
        t0=$(cut -d' ' -f1 /proc/uptime)
        echo "APKGEN-EXEC-START {{n}}"
        apkgen exec -- sh -c 'mkdir -p /opt/apkgen-cut-{{n}} && cd /opt/apkgen-cut-{{n}} && for i in $(seq 1 100); do head -c 16384 /dev/urandom >f$i; done && sha256sum f* >MANIFEST'
        printf 'APKGEN-RC-exec-{{n}} %s\n' "$?"
        echo "APKGEN-EXEC-SECONDS $(echo "$(cut -d' ' -f1 /proc/uptime) $t0" | awk '{ printf "%.1f", $1 - $2 }')"

        """;

    [Fact]
    public async Task Rollback_in_the_guest_makes_the_fallback_slot_0_after_a_reboot()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(Rollback_in_the_guest_makes_the_fallback_slot_0_after_a_reboot), output, TimeSpan.FromMinutes(20));

        var first = await guest.BootAsync(Run("exec", $"apkgen exec -- {Change}") + Report("after"));
        guest.Check(first.Rc("exec") == 0, "apkgen exec failed in the guest");
        var original = first.Marker?.GenerationId;

        var second = await guest.BootAsync(Run("rollback", "apkgen rollback") + Report("after"));
        var change = second.Marker?.GenerationId;
        guest.Check(second.Marker is { Slot: "0" } && change != original, "the second boot did not boot the change from slot 0");
        guest.Check(second.Rc("rollback") == 0, "apkgen rollback failed in the guest");
        guest.Check(second.List("after")?.InSlot(0)?.Id == original, $"after apkgen rollback slot 0 is not {original}");

        var third = await guest.BootAsync(Report("after"));
        guest.Check(third.Marker is { Slot: "0" } m && m.GenerationId == original,
            $"after the reboot slot 0 did not boot the fallback {original}");
    }
}
