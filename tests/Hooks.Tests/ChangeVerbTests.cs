using Apkgen.Core.Edge;

namespace Apkgen.Hooks.Tests;

/// <summary>exec and auto-upgrade --dry-run through apkgen's own parse and handlers; the chrooted command and date are played by the rig.</summary>
public class ChangeVerbTests
{
    [Fact]
    public void Exec_commits_what_the_command_changed_as_a_new_generation_in_slot_0()
    {
        using var rig = new CliRig { MountsExpected = true };
        rig.Interactive = spec =>
        {
            Assert.Equal("chroot", spec.FileName);
            Assert.Equal(["sh", "-c", "echo hi > /etc/motd"], spec.Arguments.Skip(1));
            File.WriteAllText(Path.Combine(spec.Arguments[0], "etc/motd"), "hi\n");
            return 0;
        };

        var r = rig.Run("exec", "--", "sh", "-c", "echo hi > /etc/motd");

        Assert.True(r.Code == 0, r.ToString());
        var state = rig.Use.Read();
        var id = state.Current.Slots[0]!;
        Assert.NotEqual(rig.First, id);
        Assert.Equal([id, rig.First, rig.First, rig.First], state.Current.Slots);
        Assert.Equal("exec sh -c echo hi > /etc/motd", rig.Info(id).Command);
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(rig.Use.TopLevel.RootSubvolumePath(id), "etc/motd")));
        Assert.Contains($"apkgen: new generation {id} (from {rig.First})", r.Err);
        var (mounts, unmounts) = rig.MountCalls;
        Assert.True(mounts > 0, "the change mounted nothing in its snapshot");
        Assert.Equal(mounts, unmounts);
    }

    [Fact]
    public void Exec_whose_command_fails_exits_with_its_code_and_leaves_no_generation()
    {
        using var rig = new CliRig { MountsExpected = true };
        rig.Interactive = spec =>
        {
            File.WriteAllText(Path.Combine(spec.Arguments[0], "etc/motd"), "half done\n");
            return 3;
        };
        var before = rig.Use.Read();

        var r = rig.Run("exec", "--", "false");

        Assert.Equal(3, r.Code);
        var after = rig.Use.Read();
        Assert.Equal(before.Current.Slots, after.Current.Slots);
        Assert.Equal(before.Generations.Select(g => g.Id), after.Generations.Select(g => g.Id));
        Assert.False(File.Exists(rig.SwitchMarkerPath));
    }

    [Fact]
    public void Auto_upgrade_dry_run_prints_the_policy_decision_and_changes_nothing()
    {
        using var rig = new CliRig(config: "[auto]\npolicy = stage\n");
        rig.Captured = spec => spec is { FileName: "date", Arguments: ["+%z"] } ? new ProcessResult(0, "+0000\n", "") : null;
        var before = rig.Use.Read();

        var r = rig.Run("auto-upgrade", "--now", "--dry-run");

        Assert.True(r.Code == 0, r.ToString());
        Assert.Matches("^work: stage\nreboot: no\nstamp: yes\nwhy: .+\n$", r.Out);
        Assert.Equal("", r.Err);
        var after = rig.Use.Read();
        Assert.Equal(before.Current.Slots, after.Current.Slots);
        Assert.Equal(before.Generations.Select(g => g.Id), after.Generations.Select(g => g.Id));
        Assert.False(File.Exists(Core.Auto.AutoUpgradeStamp.FilePath(rig.Use.TopLevel)));
    }

    [Fact]
    public void Auto_upgrade_dry_run_stages_nothing_while_a_staged_generation_waits_for_its_boot()
    {
        using var rig = new CliRig(config: "[auto]\npolicy = stage\n");
        rig.Captured = spec => spec is { FileName: "date", Arguments: ["+%z"] } ? new ProcessResult(0, "+0000\n", "") : null;
        var waiting = rig.AddPackage("hello");

        var r = rig.Run("auto-upgrade", "--now", "--dry-run");

        Assert.True(r.Code == 0, r.ToString());
        Assert.StartsWith("work: none\n", r.Out);
        Assert.Contains(waiting, r.Out);
    }
}
