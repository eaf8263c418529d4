using Apkgen.Core;
using Apkgen.Core.Configuration;
using Apkgen.Core.Refind;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using NSubstitute;

namespace Apkgen.Refind.Tests;

public class RefindDiscoveryTests
{
    const string GuideFstab = """
        UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 / btrfs subvol=CURRENT_SNAPSHOTS_PATH/@,ro,noatime 0 0
        UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 /home btrfs subvol=/commons/@home,rw,noatime 0 0
        # UUID=2FE6-837A /boot/efi vfat rw,noatime,discard 0 2
        tmpfs /tmp tmpfs mode=1777,noatime,nosuid,nodev,size=2G 0 0
        UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 swap swap rw,noatime,discard 0 0
        """;

    static IBlockDeviceProbe Probe(Dictionary<string, string> values)
    {
        var probe = Substitute.For<IBlockDeviceProbe>();
        probe.Probe("/dev/sda2").Returns(values);
        return probe;
    }

    [Fact]
    public void Resume_comes_from_the_swap_line_of_the_guides_fstab_template()
    {
        Assert.Equal("UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676", RefindDiscovery.SwapFromFstab(GuideFstab));
        Assert.Null(RefindDiscovery.SwapFromFstab("# UUID=x swap swap defaults 0 0\n/dev/sda2 / btrfs defaults 0 0\n"));
    }

    [Fact]
    public void The_volume_is_the_partition_name_first_and_root_is_the_filesystem_uuid()
    {
        var probe = Probe(new()
        {
            ["TYPE"] = "btrfs", ["UUID"] = "b9ff5e7b-e128-4e64-861a-2fdd794a9828", ["LABEL"] = "alpine",
            ["PART_ENTRY_NAME"] = "ROOT", ["PART_ENTRY_UUID"] = "144bedc6-51da-4c01-9b2f-10b812763b4f",
        });

        var target = RefindDiscovery.Target(new RefindSection(), "/dev/sda2", GuideFstab, probe);

        Assert.Equal(new RefindTarget("ROOT", "UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828", "UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676"), target);
    }

    [Fact]
    public void Without_a_partition_name_the_label_is_the_volume_and_without_either_the_partuuid_never_the_fs_uuid()
    {
        var labelled = Probe(new() { ["TYPE"] = "btrfs", ["UUID"] = "fs-uuid", ["LABEL"] = "alpine", ["PARTUUID"] = "part-guid" });
        Assert.Equal("alpine", RefindDiscovery.Target(new RefindSection(), "/dev/sda2", "", labelled).Volume);

        var bare = Probe(new() { ["TYPE"] = "btrfs", ["UUID"] = "fs-uuid", ["PART_ENTRY_UUID"] = "part-guid" });
        Assert.Equal("part-guid", RefindDiscovery.Target(new RefindSection(), "/dev/sda2", "", bare).Volume);
    }

    [Fact]
    public void A_device_with_nothing_rEFInd_can_match_is_an_error_that_names_the_remedy()
    {
        var probe = Probe(new() { ["TYPE"] = "btrfs", ["UUID"] = "fs-uuid" });
        var e = Assert.Throws<ApkgenException>(() => RefindDiscovery.Target(new RefindSection(), "/dev/sda2", "", probe));
        Assert.Contains("[refind] volume", e.Remedy);
    }

    [Fact]
    public void A_device_that_is_not_btrfs_is_refused()
    {
        var probe = Probe(new() { ["TYPE"] = "ext4", ["UUID"] = "x", ["LABEL"] = "root" });
        var e = Assert.Throws<ApkgenException>(() => RefindDiscovery.Target(new RefindSection(), "/dev/sda2", "", probe));
        Assert.Equal(ExitCodes.DataError, e.ExitCode);
        Assert.Contains("TYPE=ext4", e.Message);
    }

    [Fact]
    public void Values_set_in_the_config_are_used_without_probing_the_device()
    {
        var probe = Substitute.For<IBlockDeviceProbe>();
        var settings = new RefindSection { Volume = "MYROOT", Root = "PARTUUID=abc", Resume = "none" };

        var target = RefindDiscovery.Target(settings, devicePath: null, GuideFstab, probe);

        Assert.Equal(new RefindTarget("MYROOT", "PARTUUID=abc", null), target);
        probe.DidNotReceiveWithAnyArgs().Probe(default!);
    }

    [Fact]
    public void Blkid_export_output_is_parsed_into_keys_and_values()
    {
        var values = BlockDeviceProbe.ParseExport("DEVNAME=/dev/loop0\nLABEL=root fs\nUUID=e9f4\nTYPE=btrfs\n\n");
        Assert.Equal("root fs", values["LABEL"]);
        Assert.Equal("btrfs", values["TYPE"]);
        Assert.Equal(4, values.Count);
    }

    [Fact]
    public void The_device_of_a_mounted_top_level_is_read_from_mountinfo()
    {
        const string mountinfo = """
            22 1 0:21 /snapshots/20261125182000aaaaaaaa/@ / rw,noatime - btrfs /dev/vda2 rw,subvol=/snapshots/20261125182000aaaaaaaa/@
            90 22 0:21 / /run/apkgen/top rw,noatime - btrfs /dev/vda2 rw,subvolid=5,subvol=/
            91 22 0:50 / /tmp rw - tmpfs tmpfs rw
            """;
        Assert.Equal("/dev/vda2", RefindDiscovery.DeviceOfMount("/run/apkgen/top/", mountinfo));
        Assert.Null(RefindDiscovery.DeviceOfMount("/tmp", mountinfo));
    }

    [Fact]
    public void Blkid_runs_as_a_low_level_probe_with_an_argument_list_and_finding_nothing_is_no_error()
    {
        var processes = Substitute.For<IProcessRunner>();
        processes.RunCaptured(Arg.Is<ProcessSpec>(p => p.FileName == "blkid" && p.Arguments.SequenceEqual(new[] { "-p", "-o", "export", "/dev/empty" })))
            .Returns(new ProcessResult(2, "", ""));
        processes.RunCaptured(Arg.Is<ProcessSpec>(p => p.Arguments.Contains("/dev/sda2")))
            .Returns(new ProcessResult(0, "DEVNAME=/dev/sda2\nTYPE=btrfs\nUUID=u\n", ""));

        Assert.Empty(new BlockDeviceProbe(processes).Probe("/dev/empty"));
        Assert.Equal("btrfs", new BlockDeviceProbe(processes).Probe("/dev/sda2")["TYPE"]);
    }

    [Fact]
    public void A_failing_blkid_is_an_error_with_its_message()
    {
        var processes = Substitute.For<IProcessRunner>();
        processes.RunCaptured(Arg.Any<ProcessSpec>()).Returns(new ProcessResult(4, "", "blkid: /dev/nope: No such file"));
        var e = Assert.Throws<ApkgenException>(() => new BlockDeviceProbe(processes).Probe("/dev/nope"));
        Assert.Contains("No such file", e.Message);
    }
}
