using System.Text.Json;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>
/// What a power cut during <c>apkgen exec</c> can leave in <c>snapshots/</c>, made by hand on a
/// real loop btrfs in every shape the order of a change allows (mkdir, snapshot rw, write
/// generation.ini, set read-only, links, switch), with no apkgen running (as after the
/// reboot: no process holds the lock, so none of them is "building"). Seen in the boot
/// suite's power-cut scenario: such leftovers were listed with <c>"state": "good"</c>.
/// </summary>
public class PowerCutLeftoverTests
{
    static string Slot(string top, int n) =>
        Path.GetFileName(new FileInfo(Path.Combine(top, "current", n.ToString())).LinkTarget!);

    static string Snapshot(string top, string id) => Path.Combine(top, "snapshots", id);

    // Ids in apkgen's own form, older than any process now running.
    const string NoRoot = "20200101000001cutMkdir";     // cut after mkdir snapshots/<id>
    const string RwNoIni = "20200101000002cutSnaRw";   // cut after the rw snapshot (the boot suite's shape)
    const string RwEmptyIni = "20200101000003cutIniZr"; // cut while generation.ini was not durable: zero length
    const string RwTornIni = "20200101000004cutIniHf";  // ... or cut short
    const string RwFullIni = "20200101000005cutIniRw";  // cut between WriteInfo and SetReadOnly
    const string RoNoIni = "20200101000006cutRoNoI";    // cut after SetReadOnly, ini not durable
    const string RoFullIni = "20200101000007cutUnswt";  // committed, never switched

    static readonly string[] Uncommitted = [NoRoot, RwNoIni, RwEmptyIni, RwTornIni, RwFullIni];
    static readonly string[] All = [.. Uncommitted, RoNoIni, RoFullIni];

    /// <summary>A layout made by init --adopt @ and one change, then every leftover shape beside it.</summary>
    static LoopBtrfs LayoutWithLeftovers(bool autoGc, out string top, out string conf, out List<string> made)
    {
        var disk = LoopBtrfs.Create();
        top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
        File.WriteAllText(conf, $"[layout]\nlinks = 2\n[gc]\nauto = {(autoGc ? "true" : "false")}\n");
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        made = [Slot(top, 0)];
        var (c, o) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", "/etc/change0");
        Assert.True(c == 0, o);
        made.Add(Slot(top, 0));

        var t = top;
        var committed = made[1];
        var baseRoot = Path.Combine(Snapshot(t, committed), "@");
        var fullIni = File.ReadAllText(Path.Combine(Snapshot(t, committed), "generation.ini"));
        void Make(string id, bool readOnly, string? ini)
        {
            Directory.CreateDirectory(Snapshot(t, id));
            if (readOnly) Sh.Run("btrfs", "subvolume", "snapshot", "-r", baseRoot, Path.Combine(Snapshot(t, id), "@"));
            else Sh.Run("btrfs", "subvolume", "snapshot", baseRoot, Path.Combine(Snapshot(t, id), "@"));
            if (ini is not null) File.WriteAllText(Path.Combine(Snapshot(t, id), "generation.ini"), ini.Replace(committed, id));
        }
        Directory.CreateDirectory(Snapshot(t, NoRoot));
        Make(RwNoIni, readOnly: false, ini: null);
        Make(RwEmptyIni, readOnly: false, ini: "");
        Make(RwTornIni, readOnly: false, ini: fullIni[..(fullIni.Length / 2)]);
        Make(RwFullIni, readOnly: false, ini: fullIni);
        Make(RoNoIni, readOnly: true, ini: null);
        Make(RoFullIni, readOnly: true, ini: fullIni);
        return disk;
    }

    [Fact]
    public void Gc_deletes_every_leftover_a_power_cut_can_leave_and_keeps_what_the_slots_name()
    {
        using var disk = LayoutWithLeftovers(autoGc: false, out var top, out var conf, out var made);
        var (dcode, dry) = RunApkgen("--config", conf, "--device", disk.Device, "gc", "--dry-run");
        Assert.True(dcode == 0, dry);
        foreach (var id in All) Assert.Contains($"would delete generation {id}", dry);
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "gc");
        Assert.True(code == 0, output);
        Assert.Contains($"deleted {All.Length} generation(s)", output);
        foreach (var id in All) Assert.False(Directory.Exists(Snapshot(top, id)), $"gc kept {id}:\n{output}");
        foreach (var id in made) Assert.True(Directory.Exists(Path.Combine(Snapshot(top, id), "@")), $"gc deleted {id}, which a slot names:\n{output}");
        var left = Sh.Run("btrfs", "subvolume", "list", top);
        foreach (var id in All) Assert.DoesNotContain(id, left);
    }

    [Fact]
    public void The_gc_after_the_next_commit_deletes_every_leftover_a_power_cut_can_leave_and_names_them()
    {
        using var disk = LayoutWithLeftovers(autoGc: true, out var top, out var conf, out var made);
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", "/etc/change1");
        Assert.True(code == 0, output);
        // Slots are now [new, made[1]]: made[0] goes too.
        Assert.Contains($"gc: deleted {All.Length + 1} generations no slot uses any more", output);
        foreach (var id in All) Assert.False(Directory.Exists(Snapshot(top, id)), $"the gc after the commit kept {id}:\n{output}");
        Assert.Equal(made[1], Slot(top, 1));
        Assert.True(Directory.Exists(Path.Combine(Snapshot(top, Slot(top, 0)), "@")));
    }

    [Fact]
    public void List_list_json_and_status_never_call_an_uncommitted_leftover_good_nor_building_after_the_reboot()
    {
        using var disk = LayoutWithLeftovers(autoGc: false, out _, out var conf, out _);
        var (lcode, list) = RunApkgen("--config", conf, "--device", disk.Device, "list");
        Assert.True(lcode == 0, list);
        foreach (var id in Uncommitted)
        {
            var row = list.Split('\n').Single(l => l.StartsWith(id, StringComparison.Ordinal));
            Assert.Matches(@"^\S+\s+-\s+\S+ \S+\s+broken\s+leftover, not a generation: it ", row);
            Assert.DoesNotContain("made by hand", row);
        }

        var (jcode, json) = RunApkgen("--config", conf, "--device", disk.Device, "list", "--json");
        Assert.True(jcode == 0, json);
        // The torn generation.ini gets its warning on standard error, which RunApkgen merges in.
        using var doc = JsonDocument.Parse(string.Join('\n', json.Split('\n').Where(l => !l.StartsWith("apkgen: ", StringComparison.Ordinal))));
        var byId = doc.RootElement.EnumerateArray().ToDictionary(g => g.GetProperty("id").GetString()!);
        foreach (var id in Uncommitted)
        {
            Assert.True(byId[id].GetProperty("state").GetString() == "broken", $"{id}: {byId[id]}");
            Assert.Equal("broken", byId[id].GetProperty("condition").GetString());
            Assert.Equal(0, byId[id].GetProperty("slots").GetArrayLength());
        }
        // Committed but never switched: a complete generation nothing references.
        Assert.Equal("pending", byId[RoFullIni].GetProperty("state").GetString());
        Assert.Equal("complete", byId[RoFullIni].GetProperty("condition").GetString());
        Assert.Equal("complete", byId[RoNoIni].GetProperty("condition").GetString());

        var (scode, status) = RunApkgen("--config", conf, "--device", disk.Device, "status");
        Assert.True(scode == 0, status);
        Assert.DoesNotContain("building:", status);
        foreach (var id in Uncommitted)
            Assert.Contains($"leftover: {id}: ", status);
        Assert.Contains($"gc:       {All.Length} generation(s)", status);
    }
}
