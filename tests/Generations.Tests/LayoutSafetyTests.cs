using System.Diagnostics;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 12 (corrupt layouts and hostile names) and issue 13 finding 5, on real loop-mounted
/// btrfs: the layout is damaged by hand, as a user or a crash could, and apkgen must neither
/// lose a generation nor promote a broken one, nor hang, nor print raw control bytes.
/// </summary>
public class LayoutSafetyTests
{
    static string Slot(string top, int n) =>
        Path.GetFileName(new FileInfo(Path.Combine(top, "current", n.ToString())).LinkTarget!);

    static string CurrentLinksDir(string top) => Path.Combine(top, new FileInfo(Path.Combine(top, "current")).LinkTarget!);

    static string Snapshot(string top, string id) => Path.Combine(top, "snapshots", id);

    /// <summary>A layout made by init --adopt @ and <paramref name="changes"/> changes, gc off, 4 slots.</summary>
    static LoopBtrfs Layout(int changes, out string top, out string conf, out List<string> made, bool autoGc = false, int links = 4)
    {
        var disk = LoopBtrfs.Create();
        top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
        File.WriteAllText(conf, $"[layout]\nlinks = {links}\n[gc]\nauto = {(autoGc ? "true" : "false")}\n");
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        made = [Slot(top, 0)];
        for (var i = 0; i < changes; i++)
        {
            var (c, o) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", $"/etc/change{i}");
            Assert.True(c == 0, o);
            made.Add(Slot(top, 0));
        }
        return disk;
    }

    /// <summary>Runs apkgen, killing it after <paramref name="seconds"/>: a hang is a failure, not a stuck suite.</summary>
    static (int Code, string Output) RunWithin(int seconds, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(BuildOutput("Hooks", "apkgen"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(seconds)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"apkgen {string.Join(' ', args)} was still running after {seconds} s (it hangs)");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    // ---- case 1: a gap in a links directory ----

    [Fact]
    public void Gc_keeps_what_the_slots_after_a_gap_name_and_reports_the_gap()
    {
        using var disk = Layout(3, out var top, out var conf, out var made);
        // Slots 0..3 hold made[3], made[2], made[1], made[0]; slot 1 is removed by hand.
        File.Delete(Path.Combine(CurrentLinksDir(top), "1"));
        var (dcode, dry) = RunApkgen("--config", conf, "--device", disk.Device, "gc", "--dry-run");
        Assert.True(dcode == 0, dry);
        Assert.DoesNotContain($"would delete generation {made[1]}", dry);
        Assert.DoesNotContain($"would delete generation {made[0]}", dry);
        var (scode, status) = RunApkgen("--config", conf, "--device", disk.Device, "status");
        Assert.True(scode == 0, status);
        Assert.Contains($"slot 2: {made[1]}", status);
        Assert.Contains($"slot 3: {made[0]}", status);
        Assert.Contains("has no generation in slot(s) 1", status);
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "gc");
        Assert.True(code == 0, output);
        Assert.Contains("has no generation in slot(s) 1", output);
        foreach (var id in new[] { made[3], made[1], made[0] })
            Assert.True(Directory.Exists(Path.Combine(Snapshot(top, id), "@")), $"gc deleted {id}, which a slot after the gap names:\n{output}");
        // Only the generation nothing names any more went.
        Assert.False(Directory.Exists(Snapshot(top, made[2])), output);
    }

    // ---- case 2: rollback, --from and diff only on complete generations ----

    [Fact]
    public void Rollback_refuses_a_slot_naming_a_missing_snapshot_a_root_less_one_a_plain_directory_a_writable_leftover_or_a_bad_one()
    {
        using var disk = Layout(1, out var top, out var conf, out var made);
        var links = CurrentLinksDir(top);
        void PointSlot(int slot, string id)
        {
            File.Delete(Path.Combine(links, slot.ToString()));
            File.CreateSymbolicLink(Path.Combine(links, slot.ToString()), "../../snapshots/" + id);
        }
        Directory.CreateDirectory(Snapshot(top, "20200101000000noRootAa"));
        Directory.CreateDirectory(Path.Combine(Snapshot(top, "20200101000000plainDir"), "@"));
        Directory.CreateDirectory(Snapshot(top, "20200101000000leftOver"));
        Sh.Run("btrfs", "subvolume", "snapshot", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, "20200101000000leftOver"), "@"));
        var cases = new (string Id, string Says)[]
        {
            ("20200101000000missingX", "does not exist"),
            ("20200101000000noRootAa", "has no root subvolume"),
            ("20200101000000plainDir", "plain directory"),
            ("20200101000000leftOver", "was never committed"),
        };
        var currentBefore = new FileInfo(Path.Combine(top, "current")).LinkTarget;
        foreach (var (id, says) in cases)
        {
            PointSlot(1, id);
            var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "rollback", "1");
            Assert.True(code == ExitCodes.DataError, $"rollback to {id}: exit {code}\n{output}");
            Assert.Contains(says, output);
            Assert.Equal(currentBefore, new FileInfo(Path.Combine(top, "current")).LinkTarget);
            Assert.Equal(made[1], Slot(top, 0));
        }
        // A generation marked bad may not take slot 0 either.
        PointSlot(1, made[0]);
        var ini = Path.Combine(Snapshot(top, made[0]), "generation.ini");
        File.WriteAllText(ini, File.ReadAllText(ini).Replace("state = pending", "state = bad").Replace("reason = \n", "reason = kernel panic\n"));
        var (bcode, bout) = RunApkgen("--config", conf, "--device", disk.Device, "rollback", "1");
        Assert.True(bcode == ExitCodes.DataError, bout);
        Assert.Contains("is marked bad", bout);
        Assert.Equal(made[1], Slot(top, 0));
    }

    [Fact]
    public void Exec_from_an_uncommitted_leftover_is_refused_and_makes_no_generation()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        Directory.CreateDirectory(Snapshot(top, "20200101000000leftOver"));
        Sh.Run("btrfs", "subvolume", "snapshot", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, "20200101000000leftOver"), "@"));
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--from", "20200101000000leftOver", "--", "/bin/touch", "/etc/x");
        Assert.True(code == ExitCodes.DataError, $"exit {code}\n{output}");
        Assert.Contains("was never committed", output);
        Assert.Equal(made[0], Slot(top, 0));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
    }

    [Fact]
    public void Diff_against_a_generation_without_a_root_says_so_instead_of_listing_every_package_as_added()
    {
        using var disk = Layout(0, out var top, out var conf, out _);
        Directory.CreateDirectory(Snapshot(top, "20200101000000noRootAa"));
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "diff", "20200101000000noRootAa", "0");
        Assert.True(code == ExitCodes.DataError, $"exit {code}\n{output}");
        Assert.Contains("has no root subvolume", output);
        Assert.DoesNotContain("+ busybox", output);
    }

    // ---- case 4: init --adopt names ----

    [Fact]
    public void Init_refuses_to_adopt_the_top_level_a_layout_directory_or_a_path_that_is_not_one_name()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "commons"));
        foreach (var name in new[] { "", ".", "..", "commons", "/@", "@/etc" })
        {
            var (code, output) = RunApkgen("--device", disk.Device, "init", "--adopt", name);
            Assert.True(code == ExitCodes.Usage, $"--adopt '{name}': exit {code}\n{output}");
            Assert.Contains($"--adopt '{name}':", output);
            Assert.False(Directory.Exists(Path.Combine(top, "snapshots")), $"--adopt '{name}' made snapshots/");
            Assert.False(File.Exists(Path.Combine(top, "current")) || new FileInfo(Path.Combine(top, "current")).LinkTarget is not null);
        }
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(top, "commons")));
        // The right name still works.
        var (ok, okOut) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.True(ok == 0, okOut);
    }

    // ---- case 6: generation.ini that is not a small regular file ----

    [Fact]
    public void A_generation_ini_that_is_a_fifo_a_device_a_symlink_to_dev_zero_or_huge_does_not_hang_or_exhaust_memory()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        var kinds = new (string Id, Action<string> Make, string Says)[]
        {
            ("20200101000000fifoFifo", p => Sh.Run("mkfifo", p), "is a FIFO"),
            ("20200101000000devZeroo", p => Sh.Run("mknod", p, "c", "1", "5"), "is a character device"),
            ("20200101000000symZeroo", p => File.CreateSymbolicLink(p, "/dev/zero"), "is a symbolic link"),
            ("20200101000000hugeFile", p => File.WriteAllText(p, "[generation]\n" + new string('#', 70 * 1024) + "\n"), "is larger than 64 KiB"),
        };
        foreach (var (id, make, _) in kinds)
        {
            Directory.CreateDirectory(Snapshot(top, id));
            Sh.Run("btrfs", "subvolume", "snapshot", "-r", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, id), "@"));
            make(Path.Combine(Snapshot(top, id), "generation.ini"));
        }
        foreach (var verb in new[] { "status", "list" })
        {
            var (code, output) = RunWithin(60, "--config", conf, "--device", disk.Device, verb);
            Assert.True(code == 0, $"{verb}: exit {code}\n{output}");
            foreach (var (id, _, says) in kinds)
                Assert.Contains($"{top}/snapshots/{id}/generation.ini {says}", output);
        }
        var (gcode, gout) = RunWithin(60, "--config", conf, "--device", disk.Device, "gc");
        Assert.True(gcode == 0, gout);
        foreach (var (id, _, _) in kinds)
            Assert.False(Directory.Exists(Snapshot(top, id)), $"gc kept {id}, which no slot uses:\n{gout}");
        Assert.True(Directory.Exists(Path.Combine(Snapshot(top, made[0]), "@")));
        Assert.True(File.Exists("/dev/zero") || Directory.Exists("/dev"), "gc must delete the link, never what it names");
    }

    // ---- case 7: a malformed generation.ini ----

    [Fact]
    public void A_malformed_generation_ini_of_an_unreferenced_generation_is_reported_by_its_path_on_the_device_and_worked_around()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        const string id = "20200101000000badIniAa";
        Directory.CreateDirectory(Snapshot(top, id));
        Sh.Run("btrfs", "subvolume", "snapshot", "-r", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, id), "@"));
        File.WriteAllText(Path.Combine(Snapshot(top, id), "generation.ini"), "[generation]\nthis line has no equals sign\n");
        // The top level is mounted where the user sees it: the path under that mount.
        var (scode, status) = RunApkgen("--config", conf, "--device", disk.Device, "status");
        Assert.True(scode == 0, status);
        Assert.Contains($"{top}/snapshots/{id}/generation.ini line 2: expected key = value", status);
        Assert.DoesNotContain("/run/apkgen/top", status);
        // Not mounted anywhere the user sees: the path on the device.
        disk.Unmount(top);
        var (lcode, list) = RunApkgen("--config", conf, "--device", disk.Device, "list");
        Assert.True(lcode == 0, list);
        Assert.Contains($"snapshots/{id}/generation.ini on {disk.Device} line 2: expected key = value", list);
        Assert.DoesNotContain("/run/apkgen/top", list);
        top = disk.MountTop();
        Assert.Contains($"{id}  -        2020-01-01 00:00  unknown ", list);
        var (jcode, json) = RunApkgen("--config", conf, "--device", disk.Device, "list", "--json");
        Assert.True(jcode == 0, json);
        Assert.Contains("\"metadata_error\": \"line 2: expected key = value\"", json);
        // A change still works beside it.
        var (ecode, exec) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", "/etc/x");
        Assert.True(ecode == 0, exec);
        // gc treats it as a generation made by hand without metadata: no slot names it, so it goes.
        var (gcode, gc) = RunApkgen("--config", conf, "--device", disk.Device, "gc");
        Assert.True(gcode == 0, gc);
        Assert.DoesNotContain("/run/apkgen/top", gc);
        Assert.False(Directory.Exists(Snapshot(top, id)), gc);
    }

    [Fact]
    public void Pin_refuses_a_generation_whose_generation_ini_is_unreadable_and_leaves_the_file_as_it_was()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        var ini = Path.Combine(Snapshot(top, made[0]), "generation.ini");
        File.WriteAllText(ini, "[boot\n");
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "pin", made[0]);
        Assert.True(code == ExitCodes.DataError, $"exit {code}\n{output}");
        Assert.Contains($"{top}/snapshots/{made[0]}/generation.ini line 1: unterminated section header", output);
        Assert.Equal("[boot\n", File.ReadAllText(ini));
    }

    // ---- case 11 (part): control bytes in ids ----

    [Fact]
    public void List_status_and_diff_escape_control_bytes_in_generation_ids()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        const string id = "20200101000000ab\u001b[31m\nforged line";
        Directory.CreateDirectory(Snapshot(top, id));
        Sh.Run("btrfs", "subvolume", "snapshot", "-r", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, id), "@"));
        var links = CurrentLinksDir(top);
        File.Delete(Path.Combine(links, "3"));
        File.CreateSymbolicLink(Path.Combine(links, "3"), "../../snapshots/" + id);
        const string shown = @"20200101000000ab\e[31m\nforged line";
        foreach (var args in new[] { new[] { "list" }, ["status"], ["diff", "3", "0"] })
        {
            var (code, output) = RunApkgen(["--config", conf, "--device", disk.Device, .. args]);
            Assert.True(code == 0, $"{args[0]}: exit {code}\n{output}");
            Assert.DoesNotContain('\u001b', output);
            Assert.DoesNotContain("\nforged line", output);
            Assert.Contains(shown, output);
        }
        var (jcode, json) = RunApkgen("--config", conf, "--device", disk.Device, "list", "--json");
        Assert.True(jcode == 0, json);
        Assert.Contains(@"20200101000000ab\u001b[31m\nforged line", json);
    }

    // ---- case 14: a change in progress ----

    [Fact]
    public async Task List_and_status_during_a_change_show_its_snapshot_as_building_not_broken_while_an_old_leftover_stays_broken()
    {
        using var disk = Layout(0, out var top, out var conf, out var made);
        const string leftover = "20200101000000leftOver";
        Directory.CreateDirectory(Snapshot(top, leftover));
        Sh.Run("btrfs", "subvolume", "snapshot", Path.Combine(Snapshot(top, made[0]), "@"), Path.Combine(Snapshot(top, leftover), "@"));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { BuildOutput("Hooks", "apkgen"), "--config", conf, "--device", disk.Device, "exec", "--", "/bin/sh", "-c", "touch /etc/x; sleep 15" })
            psi.ArgumentList.Add(a);
        using var change = Process.Start(psi)!;
        var changeOut = change.StandardOutput.ReadToEndAsync();
        var changeErr = change.StandardError.ReadToEndAsync();
        try
        {
            string? building = null;
            for (var i = 0; i < 300 && building is null; i++)
            {
                Thread.Sleep(100);
                building = Directory.GetDirectories(Path.Combine(top, "snapshots")).Select(Path.GetFileName)
                    .FirstOrDefault(d => d != made[0] && d != leftover && Directory.Exists(Path.Combine(Snapshot(top, d!), "@", "etc")));
            }
            Assert.True(building is not null, "the change made no snapshot within 30 s");
            Thread.Sleep(1000); // its mounts are in place and the command runs
            var (lcode, list) = RunApkgen("--config", conf, "--device", disk.Device, "list");
            Assert.True(lcode == 0, list);
            var row = list.Split('\n').Single(l => l.StartsWith(building!, StringComparison.Ordinal));
            Assert.Contains("building", row);
            Assert.Contains("a change in progress", row);
            Assert.Contains("broken", list.Split('\n').Single(l => l.StartsWith(leftover, StringComparison.Ordinal)));
            var (scode, status) = RunApkgen("--config", conf, "--device", disk.Device, "status");
            Assert.True(scode == 0, status);
            Assert.Contains($"building: {building}: a change in progress", status);
            // Only the old leftover is gc's.
            Assert.Contains("gc:       1 generation(s)", status);
            var (jcode, json) = RunApkgen("--config", conf, "--device", disk.Device, "list", "--json");
            Assert.True(jcode == 0, json);
            Assert.Contains("\"condition\": \"building\"", json);
        }
        finally
        {
            if (!change.WaitForExit(TimeSpan.FromSeconds(60))) change.Kill(entireProcessTree: true);
        }
        var changeOutput = await changeOut + await changeErr;
        Assert.True(change.ExitCode == 0, changeOutput);
    }

    // ---- issue 13, finding 5 ----

    [Fact]
    public void A_commit_says_nothing_about_gc_when_it_deleted_only_the_old_links_directory_and_names_generations_it_deleted()
    {
        using var disk = Layout(0, out var top, out var conf, out var made, autoGc: true, links: 2);
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", "/etc/a");
        Assert.True(code == 0, output);
        Assert.DoesNotContain("gc:", output);
        Assert.DoesNotContain("links director", output);
        var second = Slot(top, 0);
        var (code2, output2) = RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", "/etc/b");
        Assert.True(code2 == 0, output2);
        // Slots are now [new, second]: the first generation went.
        Assert.Contains($"gc: deleted generation {made[0]}, which no slot uses any more", output2);
        Assert.Equal(second, Slot(top, 1));
    }

    [Fact]
    public void List_json_names_the_trial_generation_trial_so_pending_means_only_the_boot_state()
    {
        using var disk = Layout(0, out _, out var conf, out _);
        var (code, json) = RunApkgen("--config", conf, "--device", disk.Device, "list", "--json");
        Assert.True(code == 0, json);
        Assert.Contains("\"trial\": false", json);
        Assert.Contains("\"state\": \"pending\"", json);
        Assert.DoesNotContain("\"pending\":", json);
    }
}
