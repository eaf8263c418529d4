using Apkgen.TestSupport;
using Xunit.Abstractions;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Crash.Tests;

/// <summary>
/// SIGKILL of apkgen at every stage of a commit and of gc (APKGEN_FAULT_STAGE), on the live
/// filesystem: current is the old or the new generation complete, every slot a read-only
/// subvolume, nothing mounted in any namespace, and one gc removes every leftover.
/// </summary>
public sealed class KillTests(Bases bases, ITestOutputHelper log) : IClassFixture<Bases>
{
    static Dictionary<string, string> Fault(string stage) => new() { ["APKGEN_FAULT_STAGE"] = stage };

    [Theory]
    [MemberData(nameof(Stages.ExecData), MemberType = typeof(Stages))]
    public void A_SIGKILL_of_exec_at_any_stage_leaves_the_old_or_new_generation_complete_nothing_mounted_and_one_gc_cleans_up(string stage)
    {
        using var img = DiskImage.CopyOf(bases.ExecBaseImage, $"kill-{stage}.img");
        var top = img.Mount();
        var device = img.Device!;
        var oldCurrent = Kit.Current(top);
        var (code, output) = RunApkgen(Fault(stage), "--config", bases.DefaultConfig, "--device", device, "exec", "--", "/bin/sh", "-c", Change.Script);
        Assert.True(code == 137, $"exit {code}, expected 137 (SIGKILL):\n{output}");
        Assert.Contains($"killing at stage {stage}", output);

        Assert.Empty(Kit.MountsAnywhere(device, top));
        Kit.AssertSlotsReadOnly(top, 4, stage);
        var content = Change.Classify(Path.Combine(top, "current/0/@"), $"after SIGKILL at {stage}");
        log.WriteLine($"SIGKILL at {stage}: current is the {content} generation");
        Assert.Equal(Stages.AtOrAfter(stage, "rename") ? Content.New : Content.Old, content);
        if (content == Content.Old) Assert.Equal(oldCurrent, Kit.Current(top));

        AssertOneGcCleansUp(device, top, bases.DefaultConfig, 4, stage);
        Assert.Equal(content, Change.Classify(Path.Combine(top, "current/0/@"), $"after gc ({stage})"));
        // With the test's own mount gone, nothing anywhere may still hold the device (checked
        // before detaching it: afterwards another test on the machine may reuse the name).
        img.UnmountAll();
        Assert.Empty(Kit.MountsAnywhere(device, null));
    }

    [Theory]
    [MemberData(nameof(Stages.GcData), MemberType = typeof(Stages))]
    public void A_SIGKILL_of_gc_at_any_stage_keeps_current_intact_and_the_next_gc_finishes_the_job(string stage)
    {
        _ = bases.GcBaseImage;
        using var img = DiskImage.CopyOf(bases.GcBaseImage, $"killgc-{stage}.img");
        var top = img.Mount();
        var device = img.Device!;
        var current = Kit.Current(top);
        var (code, output) = RunApkgen(Fault(stage), "--config", bases.GcConfig, "--device", device, "gc");
        Assert.True(code == 137, $"exit {code}, expected 137 (SIGKILL):\n{output}");
        Assert.Contains($"killing at stage {stage}", output);

        Assert.Empty(Kit.MountsAnywhere(device, top));
        Assert.Equal(current, Kit.Current(top));
        Kit.AssertSlotsReadOnly(top, 2, stage);
        Assert.Equal((bases.GcKept.Slot0, bases.GcKept.Slot1), (Kit.Slot(top, 0), Kit.Slot(top, 1)));
        Assert.Equal(Content.Old, Change.Classify(Path.Combine(top, "current/0/@"), stage));
        Assert.True(File.Exists(Path.Combine(top, "current/0/@/etc/f2")));

        AssertOneGcCleansUp(device, top, bases.GcConfig, 2, stage);
        // With the test's own mount gone, nothing anywhere may still hold the device (checked
        // before detaching it: afterwards another test on the machine may reuse the name).
        img.UnmountAll();
        Assert.Empty(Kit.MountsAnywhere(device, null));
    }

    /// <summary>One gc run leaves nothing current does not name; a second has nothing to delete.</summary>
    internal static void AssertOneGcCleansUp(string device, string top, string config, int slots, string what, bool secondGc = true)
    {
        var (code, output) = RunApkgen("--config", config, "--device", device, "gc");
        Assert.True(code == 0, $"{what}: gc exited {code}:\n{output}");
        Kit.AssertNoLeftovers(top, slots, $"{what}, after one gc ({output.Trim().Replace('\n', ';')})");
        Kit.AssertSlotsReadOnly(top, slots, what);
        if (!secondGc) return;
        var (code2, output2) = RunApkgen("--config", config, "--device", device, "gc");
        Assert.True(code2 == 0, output2);
        Assert.Contains("nothing to delete", output2);
        // The test's own mounts live next to the images; nothing else may hold the device.
        Assert.Empty(Kit.MountsAnywhere(device, Path.GetDirectoryName(top)));
    }
}
