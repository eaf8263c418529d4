using Apkgen.Core;
using Apkgen.Core.Model;

namespace Apkgen.Hooks.Tests;

/// <summary>rollback, pin, unpin and gc through apkgen's own parse and handlers: what each leaves on the layout.</summary>
public class SwitchingVerbTests
{
    [Fact]
    public void Rollback_promotes_slot_1_says_so_and_writes_the_switch_marker()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");

        var r = rig.Run("rollback");

        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("", r.Out);
        Assert.Equal($"apkgen: rolled back: {rig.First} is in slot 0 (was slot 1); reboot to use it\n", r.Err);
        var state = rig.Use.Read();
        Assert.Equal([rig.First, added, added, added], state.Current.Slots);
        Assert.Equal($"slot0={rig.First}\n", File.ReadAllText(rig.SwitchMarkerPath));
        // Slot 0 is the booted generation again: no reboot is needed.
        Assert.Equal(Commands.StatusHandler.NoRebootNeeded, rig.Run("status", "--reboot-needed").Code);
    }

    [Fact]
    public void Rollback_to_a_slot_that_does_not_exist_exits_65_with_the_remedy_and_switches_nothing()
    {
        using var rig = new CliRig();
        rig.AddPackage("hello");
        var before = rig.Use.Read().Current;

        var r = rig.Run("rollback", "7");

        Assert.Equal(ExitCodes.DataError, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal("apkgen: error: there is no fallback slot 7\napkgen: fallback slots are 1 to 3; see 'apkgen status'\n", r.Err);
        var after = rig.Use.Read().Current;
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Slots, after.Slots);
        Assert.False(File.Exists(rig.SwitchMarkerPath));
    }

    [Fact]
    public void Rollback_refuses_a_slot_that_holds_a_bad_generation_with_exit_65_and_the_remedy()
    {
        using var rig = new CliRig();
        rig.AddPackage("hello");
        rig.SetBootState(rig.First, BootState.Bad, "test: failed to boot");
        var before = rig.Use.Read().Current;

        var r = rig.Run("rollback", "1");

        Assert.Equal(ExitCodes.DataError, r.Code);
        var lines = r.Err.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"apkgen: error: slot 1 holds generation {rig.First}, which ", lines[0]);
        Assert.EndsWith("; rollback promotes only a complete, committed, not-bad generation", lines[0]);
        Assert.Equal("apkgen: choose another slot (see 'apkgen status'); a bad generation can be marked good with 'apkgen-bootcheck mark-good' first", lines[1]);
        var after = rig.Use.Read().Current;
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Slots, after.Slots);
    }

    [Fact]
    public void Pin_and_unpin_by_slot_number_or_id_prefix_write_the_pin_and_name_the_generation()
    {
        using var rig = new CliRig();
        rig.AddPackage("hello");

        var pin = rig.Run("pin", "1");
        Assert.Equal((0, "", $"apkgen: pinned {rig.First}\n"), (pin.Code, pin.Out, pin.Err));
        Assert.True(rig.Info(rig.First).Pinned);
        Assert.True(rig.Run("list", "--json").Out.Contains("\"pinned\": true", StringComparison.Ordinal));

        var unpin = rig.Run("unpin", rig.First[..16]);
        Assert.Equal((0, "", $"apkgen: unpinned {rig.First}\n"), (unpin.Code, unpin.Out, unpin.Err));
        Assert.False(rig.Info(rig.First).Pinned);
    }

    [Fact]
    public void Gc_dry_run_prints_what_gc_would_delete_and_deletes_nothing_then_gc_deletes_exactly_that()
    {
        using var rig = new CliRig();
        // Booted from elsewhere: gc never deletes the booted generation, and here none is.
        rig.Use.BootedId = null;
        foreach (var name in new[] { "a", "b", "c", "d" }) rig.AddPackage(name);
        var before = rig.Use.Read();
        var oldLinks = before.LinksIds.Where(l => l != before.Current.Id).ToList();
        Assert.NotEmpty(oldLinks);

        var dry = rig.Run("gc", "--dry-run");

        Assert.True(dry.Code == 0, dry.ToString());
        var expected = new[] { $"generation {rig.First}" }.Concat(oldLinks.Select(l => $"links/{l}")).Order().ToList();
        Assert.Equal(expected.Select(x => "would delete " + x), dry.Out.TrimEnd('\n').Split('\n').Order());
        Assert.Equal(before.LinksIds, rig.Use.Read().LinksIds);
        Assert.NotNull(rig.Use.Read().Find(rig.First));

        var gc = rig.Run("gc");

        Assert.True(gc.Code == 0, gc.ToString());
        var lines = gc.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Select(x => "deleting " + x), lines[..^1].Order());
        Assert.Equal($"deleted 1 generation(s), {oldLinks.Count} links director(ies)", lines[^1]);
        var after = rig.Use.Read();
        Assert.Null(after.Find(rig.First));
        Assert.False(Directory.Exists(Path.Combine(rig.Top, "snapshots", rig.First)));
        Assert.Equal([after.Current.Id], after.LinksIds);
        Assert.Equal("nothing to delete\n", rig.Run("gc", "--dry-run").Out);
    }
}
