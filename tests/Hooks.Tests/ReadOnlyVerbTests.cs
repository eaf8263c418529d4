using System.Text.Json;
using Apkgen.Core;

namespace Apkgen.Hooks.Tests;

/// <summary>list, status and diff through apkgen's own parse and handlers, on a real layout, in this process.</summary>
public class ReadOnlyVerbTests
{
    [Fact]
    public void List_prints_every_generation_newest_first_with_its_slots_changes_and_the_booted_mark()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");

        var r = rig.Run("list");

        Assert.True(r.Code == 0, r.ToString());
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^ID +SLOTS +CREATED \(UTC\) +STATE +WHAT$", lines[0]);
        Assert.Matches($@"^{added}  0 +\d{{4}}-\d\d-\d\d \d\d:\d\d  pending   apk add hello \[1 added\]$", lines[1]);
        Assert.Matches($@"^{rig.First}  1,2,3 +\d{{4}}-\d\d-\d\d \d\d:\d\d  pending   init \[3 added\] \(booted\)$", lines[2]);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void List_json_gives_each_generation_its_slots_booted_flag_command_and_packages()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");

        var r = rig.Run("list", "--json");

        Assert.True(r.Code == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Out);
        var gens = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([added, rig.First], gens.Select(g => g.GetProperty("id").GetString()));
        Assert.Equal([0], gens[0].GetProperty("slots").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([1, 2, 3], gens[1].GetProperty("slots").EnumerateArray().Select(s => s.GetInt32()));
        Assert.False(gens[0].GetProperty("booted").GetBoolean());
        Assert.True(gens[1].GetProperty("booted").GetBoolean());
        Assert.Equal("apk add hello", gens[0].GetProperty("command").GetString());
        Assert.Equal(rig.First, gens[0].GetProperty("parent").GetString());
        Assert.Equal(["hello-1.0-r0"], gens[0].GetProperty("packages").GetProperty("added").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("complete", gens[0].GetProperty("condition").GetString());
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Status_json_names_the_booted_generation_the_next_boot_and_what_a_reboot_changes()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");

        var r = rig.Run("status", "--json");

        Assert.True(r.Code == 0, r.ToString());
        using var json = JsonDocument.Parse(r.Out);
        var s = json.RootElement;
        Assert.Equal(rig.Top, s.GetProperty("device").GetString());
        Assert.Equal(rig.First, s.GetProperty("booted").GetString());
        Assert.Equal(added, s.GetProperty("next_boot").GetString());
        Assert.False(s.GetProperty("next_boot_is_trial").GetBoolean());
        Assert.True(s.GetProperty("reboot_needed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("pending").ValueKind);
        var reboot = s.GetProperty("reboot");
        Assert.Equal(rig.First, reboot.GetProperty("booted").GetString());
        Assert.Equal(added, reboot.GetProperty("next").GetString());
        Assert.False(reboot.GetProperty("rollback").GetBoolean());
        Assert.Equal(["hello-1.0-r0"], reboot.GetProperty("packages").GetProperty("added").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("", r.Err);
    }

    [Fact]
    public void Status_prints_the_booted_generation_the_slots_and_the_reboot_with_its_changes()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");

        var r = rig.Run("status");

        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains($"booted:   {rig.First} from current slot 0\n", r.Out);
        Assert.Contains($"reboot:   needed: the next boot starts {added} (slot 0 of current)\n          + hello-1.0-r0\n", r.Out);
        Assert.Matches($@"\n  slot 0: {added}  .*  pending, 3 boot attempt\(s\) left  apk add hello\n", r.Out);
        Assert.Matches($@"\n  slot 1: {rig.First}  .*  init\n", r.Out);
    }

    [Fact]
    public void Status_reboot_needed_prints_nothing_and_exits_1_until_slot_0_is_not_the_booted_generation_then_0()
    {
        using var rig = new CliRig();

        var before = rig.Run("status", "--reboot-needed");
        Assert.Equal((Commands.StatusHandler.NoRebootNeeded, "", ""), (before.Code, before.Out, before.Err));

        rig.AddPackage("hello");
        var after = rig.Run("status", "--reboot-needed");
        Assert.Equal((0, "", ""), (after.Code, after.Out, after.Err));
    }

    [Fact]
    public void Diff_of_two_generations_by_slot_or_by_id_prints_the_package_added_or_removed()
    {
        using var rig = new CliRig();
        var added = rig.AddPackage("hello");
        var expected = $"--- {rig.First}\n+++ {added}\n+ hello-1.0-r0\n";

        var bySlot = rig.Run("diff", "1", "0");
        var byId = rig.Run("diff", rig.First, added);
        var back = rig.Run("diff", added, rig.First);

        Assert.Equal((0, expected, ""), (bySlot.Code, bySlot.Out, bySlot.Err));
        Assert.Equal((0, expected, ""), (byId.Code, byId.Out, byId.Err));
        Assert.Equal((0, $"--- {added}\n+++ {rig.First}\n- hello-1.0-r0\n"), (back.Code, back.Out));
    }

    [Fact]
    public void Diff_of_a_generation_that_does_not_exist_is_an_error_with_a_remedy()
    {
        using var rig = new CliRig();

        var r = rig.Run("diff", "20990101000000abcdefgh", "0");

        Assert.Equal(ExitCodes.DataError, r.Code);
        Assert.Equal("", r.Out);
        Assert.StartsWith("apkgen: error: ", r.Err);
        Assert.Contains("20990101000000abcdefgh", r.Err);
        Assert.Equal(2, r.Err.TrimEnd('\n').Split('\n').Length);
    }
}
