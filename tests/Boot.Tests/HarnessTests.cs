using Apkgen.Boot.Tests.Harness;

namespace Apkgen.Boot.Tests;

/// <summary>The test rig itself, apart from apkgen: a layout made by hand as the guide does it
/// boots through OVMF and rEFInd into slot 0, and the guest runs the step it is given.</summary>
public sealed class HarnessTests(HandMadeLayoutImage image, ITestOutputHelper output) : IClassFixture<HandMadeLayoutImage>
{
    [Fact]
    public async Task A_hand_made_layout_boots_slot_0_and_runs_the_step()
    {
        using var guest = await GuestMachine.CreateAsync(image, nameof(A_hand_made_layout_boots_slot_0_and_runs_the_step), output, TimeSpan.FromMinutes(8));

        var boot = await guest.BootAsync(step: "echo APKGEN-STEP-SAW $(cat /proc/sys/kernel/hostname) $(awk '$2 == \"/tmp\" { print $3 }' /proc/mounts)\n");

        guest.Check(boot.Run.End == QemuEnd.Exited && !boot.Panicked, "the guest did not power off cleanly");
        guest.Check(boot.Marker is { Slot: "0", Subvol: "/current/0/@" }, "the guest did not report booting /current/0/@");
        guest.Check(boot.Marker!.Booted.StartsWith("/snapshots/", StringComparison.Ordinal) && boot.Marker.Booted.EndsWith("/@", StringComparison.Ordinal),
            $"mountinfo shows {boot.Marker.Booted}, not /snapshots/<id>/@");
        guest.Check(boot.Lines("APKGEN-STEP-SAW ").Any(l => l.EndsWith(" tmpfs", StringComparison.Ordinal)),
            "the step did not run, or the fstab made from the template did not mount tmpfs on /tmp");
    }
}
