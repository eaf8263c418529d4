using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;
using NSubstitute;

namespace Apkgen.BootCheck.Tests;

/// <summary>
/// Trial arming checks the kernel and initramfs trial.conf boots, chosen as the menu chooses
/// them ([refind] flavor, else lts, virt, stable, edge), inside the generation. On a real
/// loop btrfs with the library's own arming; the firmware is a substitute.
/// </summary>
public class TrialArmingTests
{
    static Rig TrialRig(string? flavor = null)
    {
        var rig = new Rig(new BootcheckSection { Mode = BootcheckMode.Trial, EfiDisk = "/dev/vda", EfiPartition = 1 },
            refindOutput: "/boot/efi/EFI/refind/apkgen.conf");
        rig.ConfigureRefind(r => r with { Flavor = flavor });
        return rig;
    }

    static IEfiBoot Efi()
    {
        var efi = Substitute.For<IEfiBoot>();
        efi.Available.Returns(true);
        efi.EnsureEntry(Arg.Any<EfiBootEntry>()).Returns("0007");
        return efi;
    }

    /// <summary>Replaces the generation's /boot with exactly these files (name, content).</summary>
    static Action<string> Boot(params string[] names) => root =>
    {
        var boot = Path.Combine(root, "boot");
        Directory.Delete(boot, recursive: true);
        Directory.CreateDirectory(boot);
        foreach (var n in names) File.WriteAllText(Path.Combine(boot, n), "image of " + n);
    };

    static ArmOutcome Arm(Rig rig, IEfiBoot efi)
    {
        using var s = Session.Open(rig.Ctx);
        return TrialArming.Arm(rig.Ctx, s, efi);
    }

    static ApkgenException Refused(Rig rig, IEfiBoot efi, string id)
    {
        ApkgenException e;
        using (var s = Session.Open(rig.Ctx))
            e = Assert.Throws<ApkgenException>(() => TrialArming.Arm(rig.Ctx, s, efi));
        Assert.Equal(ExitCodes.DataError, e.ExitCode);
        efi.DidNotReceiveWithAnyArgs().SetBootNext(default!);
        Assert.Null(rig.Read().Pending);
        Assert.Equal(BootState.Bad, rig.Info(id).State);
        return e;
    }

    [Fact]
    public void With_flavor_virt_arming_checks_the_virt_kernel_even_when_a_complete_lts_is_there()
    {
        using var rig = TrialRig(flavor: "virt");
        var t = rig.Commit(trial: true, changeRoot: Boot("vmlinuz-lts", "initramfs-lts", "vmlinuz-virt"));
        var e = Refused(rig, Efi(), t);
        Assert.Contains("initramfs for boot/vmlinuz-virt", e.Message);
    }

    [Fact]
    public void With_flavor_virt_and_a_complete_virt_kernel_the_trial_is_armed()
    {
        using var rig = TrialRig(flavor: "virt");
        rig.Commit(trial: true, changeRoot: Boot("vmlinuz-lts", "vmlinuz-virt", "initramfs-virt"));
        var efi = Efi();
        Assert.Equal(ArmOutcome.Armed, Arm(rig, efi));
        efi.Received(1).SetBootNext("0007");
    }

    [Fact]
    public void A_generation_with_only_an_edge_kernel_is_armed_on_its_edge_kernel()
    {
        using var rig = TrialRig();
        rig.Commit(trial: true, changeRoot: Boot("vmlinuz-edge", "initramfs-edge"));
        var efi = Efi();
        Assert.Equal(ArmOutcome.Armed, Arm(rig, efi));
        efi.Received(1).SetBootNext("0007");
    }

    [Fact]
    public void Without_a_flavor_arming_checks_stable_before_edge_as_the_menu_boots_it()
    {
        // Sorted by name, edge comes first: the old check took the first kernel and armed.
        using var rig = TrialRig();
        var t = rig.Commit(trial: true, changeRoot: Boot("vmlinuz-edge", "initramfs-edge", "vmlinuz-stable"));
        var e = Refused(rig, Efi(), t);
        Assert.Contains("initramfs for boot/vmlinuz-stable", e.Message);
    }

    [Fact]
    public void A_kernel_without_its_initramfs_refuses_arming()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true, changeRoot: Boot("vmlinuz-lts"));
        var e = Refused(rig, Efi(), t);
        Assert.Contains("has no initramfs for boot/vmlinuz-lts", e.Message);
    }

    [Fact]
    public void An_empty_initramfs_refuses_arming()
    {
        using var rig = TrialRig();
        var t = rig.Commit(trial: true, changeRoot: root =>
        {
            Boot("vmlinuz-lts")(root);
            File.WriteAllText(Path.Combine(root, "boot/initramfs-lts"), "");
        });
        var e = Refused(rig, Efi(), t);
        Assert.Contains("boot/initramfs-lts (resolved inside the generation), or it is empty", e.Message);
    }

    [Fact]
    public void An_initramfs_linked_to_a_host_file_is_resolved_inside_the_generation_and_refuses_arming()
    {
        using var rig = TrialRig();
        var host = Path.Combine(Path.GetTempPath(), "apkgen-host-initramfs-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(host, "the host's initramfs");
        try
        {
            var t = rig.Commit(trial: true, changeRoot: root =>
            {
                Boot("vmlinuz-lts")(root);
                File.CreateSymbolicLink(Path.Combine(root, "boot/initramfs-lts"), host);
            });
            var e = Refused(rig, Efi(), t);
            Assert.Contains("boot/initramfs-lts (resolved inside the generation)", e.Message);
        }
        finally { File.Delete(host); }
    }

    [Fact]
    public void Without_efi_disk_and_partition_the_ESP_is_found_from_the_mount_holding_the_output_through_the_block_devices_edge()
    {
        using var rig = TrialRig();
        rig.Configure(b => b with { EfiDisk = null, EfiPartition = null });
        rig.Commit(trial: true);
        var esp = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(rig.Ctx.Config.Refind.Output)))!; // .../boot/efi
        rig.Mounts.ReadMountInfo().Returns($"40 1 8:17 / {esp} rw,relatime shared:5 - vfat /dev/vdb2 rw\n");
        var devices = Substitute.For<IBlockDeviceProbe>();
        devices.PartitionOf("/dev/vdb2").Returns(("/dev/vdb", 2));
        var ctx = rig.Ctx with { BlockDevices = devices };
        var efi = Efi();

        using (var s = Session.Open(ctx))
            Assert.Equal(ArmOutcome.Armed, TrialArming.Arm(ctx, s, efi));

        efi.Received(1).EnsureEntry(Arg.Is<EfiBootEntry>(e => e.Disk == "/dev/vdb" && e.Partition == 2));
    }
}
