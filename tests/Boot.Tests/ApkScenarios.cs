using Apkgen.Boot.Tests.Harness;
using static Apkgen.Boot.Tests.Harness.GuestState;

namespace Apkgen.Boot.Tests;

/// <summary>Issue 15, scenarios 2 to 6: the real apk of the Alpine guest (2.14.4 of the
/// minirootfs) used as a user does, as root in a login shell on the serial console, against the
/// kit's signed repository on the /var/cache commons (tests/boot/make-repo.sh).</summary>
public sealed partial class CounterModeScenarios
{
    [Fact]
    public async Task Apk_add_through_the_wrapper_leaves_the_live_root_untouched_boots_from_slot_0_and_an_upgrade_boots_hello_2_while_the_real_apk_on_the_live_root_is_refused()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(Apk_add_through_the_wrapper_leaves_the_live_root_untouched_boots_from_slot_0_and_an_upgrade_boots_hello_2_while_the_real_apk_on_the_live_root_is_refused), output, TimeSpan.FromMinutes(20));

        // Scenario 6, then 2: the real apk on the live root, then apk through the wrapper.
        var first = await guest.BootAsync(
            "printf 'APKGEN-APK-IS %s\\n' \"$(command -v apk)\"\n" + LiveState
            + Captured("live", "/sbin/apk add hello") + LiveState
            + Captured("add", "apk add hello") + LiveState
            // Issue 17 part 2: the change waits for a reboot, said to scripts and at login.
            + Captured("need", "apkgen status --reboot-needed") + Captured("need-file", "cat /run/apkgen/reboot-required")
            + Captured("notice", "sh -c '. /etc/profile.d/apkgen.sh'")
            + Report("after"));
        var live = first.Lines("APKGEN-LIVE-STATE ");
        guest.Check(first.Lines("APKGEN-APK-IS ").SingleOrDefault() == "/usr/local/sbin/apk", "apk on root's PATH is not the wrapper /usr/local/sbin/apk");
        guest.Check(live.Count == 3, "the step did not report the live root's state three times");
        guest.Check(first.Rc("live") is { } liveRc && liveRc != 0, $"/sbin/apk add hello on the live root was not refused (exit {first.Rc("live")})");
        var refusal = string.Join('\n', first.Lines("APKGEN-OUT-live "));
        output.WriteLine($"/sbin/apk add hello on the live root: exit {first.Rc("live")}, said:\n{refusal}");
        guest.Check(refusal.Contains("ERROR", StringComparison.Ordinal) && refusal.Contains("Read-only file system", StringComparison.Ordinal),
            "apk's own refusal (an ERROR naming the read-only file system) is not what the user saw:\n" + refusal);
        guest.Check(live[1] == live[0], $"/sbin/apk add hello changed the live root: {live[0]} -> {live[1]}");
        guest.Check(first.Rc("add") == 0, "apk add hello through the wrapper failed:\n" + string.Join('\n', first.Lines("APKGEN-OUT-add ")));
        guest.Check(live[2] == live[0] && live[2].EndsWith("hello=none", StringComparison.Ordinal),
            $"apk add hello through the wrapper changed the live root: {live[0]} -> {live[2]}");
        var made = first.List("after");
        guest.Check(made is [_, _], "apk add hello did not make exactly one new generation");
        var withHello = made!.InSlot(0)!;
        guest.Check(withHello.Id != first.Marker!.GenerationId && withHello.Parent == first.Marker.GenerationId,
            "the generation apk add made is not in slot 0 with the booted one as its parent");
        guest.Check(first.Rc("need") == 0, $"apkgen status --reboot-needed exited {first.Rc("need")} after apk add hello, not 0");
        guest.Check(first.Lines("APKGEN-OUT-need-file ").SingleOrDefault() == $"reboot required: running {first.Marker.GenerationId}, the next boot starts {withHello.Id}",
            "/run/apkgen/reboot-required does not name the booted and the next generation:\n" + string.Join('\n', first.Lines("APKGEN-OUT-need-file ")));
        guest.Check(first.Lines("APKGEN-OUT-notice ").Any(l => l.StartsWith("apkgen: reboot required: ", StringComparison.Ordinal)),
            "the login notice /etc/profile.d/apkgen.sh does not say a reboot is needed:\n" + string.Join('\n', first.Lines("APKGEN-OUT-notice ")));
        guest.Check(first.Lines("APKGEN-STATUS-after ").Contains("          + hello-1.0-r0"),
            "apkgen status does not list hello under the reboot:\n" + string.Join('\n', first.Lines("APKGEN-STATUS-after ")));

        // Scenario 2 after the reboot, then 3: the repository gains hello 2.0, apk -U upgrade.
        var second = await guest.BootAsync(
            Captured("no-need", "apkgen status --reboot-needed") + Captured("no-file", "test ! -e /run/apkgen/reboot-required")
            + Captured("hello1", "hello")
            + "cp /var/cache/apkgen-test-repo-update/x86_64/* /var/cache/apkgen-test-repo/x86_64/\n"
            + Captured("upgrade", "apk -U upgrade") + Captured("hello-live", "hello")
            + Report("after"));
        guest.Check(second.Marker is { Slot: "0" } m2 && m2.GenerationId == withHello.Id,
            $"the reboot did not boot the generation {withHello.Id} with hello from slot 0");
        guest.Check(second.Rc("no-need") == 1, $"apkgen status --reboot-needed exited {second.Rc("no-need")} after the reboot into slot 0, not 1");
        guest.Check(second.Rc("no-file") == 0, "/run/apkgen/reboot-required is there after the reboot into slot 0");
        guest.Check(second.List("after")?.SingleOrDefault(g => g.Id == withHello.Id)?.State == "good", "the generation with hello was not marked good");
        guest.Check(second.Rc("hello1") == 0 && second.Lines("APKGEN-OUT-hello1 ").Contains("hello 1.0"), "hello did not run and print 'hello 1.0' in the new generation");
        guest.Check(second.Rc("upgrade") == 0, "apk -U upgrade failed:\n" + string.Join('\n', second.Lines("APKGEN-OUT-upgrade ")));
        guest.Check(second.Lines("APKGEN-OUT-hello-live ").Contains("hello 1.0"), "apk -U upgrade changed hello on the live root");
        var upgraded = second.List("after")?.InSlot(0);
        guest.Check(upgraded is not null && upgraded.Id != withHello.Id && upgraded.Parent == withHello.Id,
            "apk -U upgrade did not put a new generation in slot 0 on top of the one with hello 1.0");

        var third = await guest.BootAsync(Captured("hello2", "hello") + "apkgen list | sed 's/^/APKGEN-HUMAN-LIST /'\n" + Report("after"));
        guest.Check(third.Marker is { Slot: "0" } m3 && m3.GenerationId == upgraded!.Id, $"the reboot did not boot the upgrade {upgraded!.Id} from slot 0");
        guest.Check(third.Lines("APKGEN-OUT-hello2 ").Contains("hello 2.0"), "hello does not print 'hello 2.0' after the upgrade");
        var after = third.List("after")?.SingleOrDefault(g => g.Id == upgraded.Id);
        guest.Check(after?.State == "good", "the upgrade was not marked good");
        guest.Check(after!.Upgraded!.Any(p => p.Contains("hello", StringComparison.Ordinal) && p.Contains("2.0", StringComparison.Ordinal)),
            "apkgen list --json does not show hello upgraded to 2.0 in the new generation: " + string.Join(", ", after.Upgraded!));
        var human = third.Lines("APKGEN-HUMAN-LIST ");
        guest.Check(human.Any(l => l.Contains(upgraded.Id, StringComparison.Ordinal) && l.Contains("upgrade", StringComparison.Ordinal)),
            "apkgen list does not show the upgrade:\n" + string.Join('\n', human));
    }

    [Fact]
    public async Task Apk_add_broken_switches_nothing_and_a_package_whose_service_fails_its_health_check_is_demoted_to_the_previous_generation()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(Apk_add_broken_switches_nothing_and_a_package_whose_service_fails_its_health_check_is_demoted_to_the_previous_generation), output, TimeSpan.FromMinutes(25));

        // Scenario 4: broken's post-install fails.
        var first = await guest.BootAsync(Captured("broken", "apk add broken") + Report("after"));
        var good = first.Marker!.GenerationId;
        var said = string.Join('\n', first.Lines("APKGEN-OUT-broken "));
        output.WriteLine($"apk add broken: exit {first.Rc("broken")}, said:\n{said}");
        guest.Check(first.Rc("broken") is { } brokenRc && brokenRc != 0, "apk add broken exited 0");
        guest.Check(said.Contains("post-install", StringComparison.Ordinal), "apk's error about broken's post-install script did not reach the user:\n" + said);
        var list = first.List("after");
        guest.Check(list is [_] && list[0].Id == good && !list[0].Trial, "apk add broken left a new or pending generation behind");

        // The next boot is the same generation; then scenario 5: a package whose service fails.
        var second = await guest.BootAsync(Captured("failing", "apk add failing-service") + Report("after"));
        guest.Check(second.Marker is { Slot: "0" } m2 && m2.GenerationId == good, $"the boot after apk add broken is not the same generation {good}");
        guest.Check(second.Rc("failing") == 0, "apk add failing-service failed:\n" + string.Join('\n', second.Lines("APKGEN-OUT-failing ")));
        var failing = second.List("after")?.InSlot(0);
        guest.Check(failing is not null && failing.Id != good, "apk add failing-service did not put a new generation in slot 0");

        // The late check fails and reboots: no step, the boot must end by itself with a reboot.
        var third = await guest.BootAsync(step: null);
        guest.Check(third.Marker?.GenerationId == failing!.Id, $"the third boot did not try the new generation {failing.Id}");
        guest.Check(third.Run.Serial.Contains("ERROR: failing-service failed to start", StringComparison.Ordinal), "OpenRC did not report failing-service failing to start");
        guest.Check(third.Run.Serial.Contains("50-failing-service exited with 1 (APKGEN-HEALTH failing-service is not running)", StringComparison.Ordinal),
            "the health check that requires failing-service did not run and fail");
        guest.Check(third.Rebooted, "the failed health check did not reboot the guest");

        var fourth = await guest.BootAsync(Report("after"));
        guest.Check(fourth.Marker is { Slot: "0" } m4 && m4.GenerationId == good, $"after the demotion slot 0 did not boot the previous generation {good}");
        var after = fourth.List("after");
        guest.Check(after?.SingleOrDefault(g => g.Id == failing.Id)?.State == "bad", "the generation whose service failed is not marked bad");
    }
}
