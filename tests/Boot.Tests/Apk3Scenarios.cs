using Apkgen.Boot.Tests.Harness;
using static Apkgen.Boot.Tests.Harness.GuestState;

namespace Apkgen.Boot.Tests;

/// <summary>Issue 15, scenarios 2 and 6 again with apk-tools 3.0.6 as the guest's /sbin/apk.</summary>
public sealed class Apk3Scenarios(Apk3Image image, ITestOutputHelper output) : IClassFixture<Apk3Image>
{
    [Fact]
    public async Task With_apk_3_the_real_apk_on_the_live_root_is_refused_and_apk_add_through_the_wrapper_boots_hello_from_slot_0()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(With_apk_3_the_real_apk_on_the_live_root_is_refused_and_apk_add_through_the_wrapper_boots_hello_from_slot_0), output, TimeSpan.FromMinutes(15));

        var first = await guest.BootAsync(
            Captured("version", "/sbin/apk --version") + LiveState
            + Captured("live", "/sbin/apk add hello") + LiveState
            + Captured("add", "apk add hello") + LiveState
            + Report("after"));
        guest.Check(first.Lines("APKGEN-OUT-version ").Any(l => l.StartsWith("apk-tools 3.0.6", StringComparison.Ordinal)), "the guest's /sbin/apk is not apk-tools 3.0.6");
        var live = first.Lines("APKGEN-LIVE-STATE ");
        guest.Check(live.Count == 3, "the step did not report the live root's state three times");
        var refusal = string.Join('\n', first.Lines("APKGEN-OUT-live "));
        output.WriteLine($"apk 3 /sbin/apk add hello on the live root: exit {first.Rc("live")}, said:\n{refusal}");
        guest.Check(first.Rc("live") is { } liveRc && liveRc != 0, "/sbin/apk add hello (apk 3) on the live root was not refused");
        guest.Check(refusal.Contains("ERROR", StringComparison.Ordinal) && refusal.Contains("Read-only file system", StringComparison.Ordinal),
            "apk 3's own refusal (an ERROR naming the read-only file system) is not what the user saw:\n" + refusal);
        guest.Check(live[1] == live[0], $"/sbin/apk add hello (apk 3) changed the live root: {live[0]} -> {live[1]}");
        guest.Check(first.Rc("add") == 0, "apk add hello through the wrapper (apk 3) failed:\n" + string.Join('\n', first.Lines("APKGEN-OUT-add ")));
        guest.Check(live[2] == live[0] && live[2].EndsWith("hello=none", StringComparison.Ordinal),
            $"apk add hello through the wrapper (apk 3) changed the live root: {live[0]} -> {live[2]}");
        var made = first.List("after")?.InSlot(0);
        guest.Check(made is not null && made.Id != first.Marker!.GenerationId, "apk add hello (apk 3) did not put a new generation in slot 0");

        var second = await guest.BootAsync(Captured("hello", "hello") + Report("after"));
        guest.Check(second.Marker is { Slot: "0" } m && m.GenerationId == made!.Id, $"the reboot did not boot {made!.Id} from slot 0");
        guest.Check(second.Lines("APKGEN-OUT-hello ").Contains("hello 1.0"), "hello does not run in the new generation");
        guest.Check(second.List("after")?.SingleOrDefault(g => g.Id == made.Id)?.State == "good", "the new generation was not marked good");
    }
}
