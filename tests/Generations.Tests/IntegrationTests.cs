using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>The apkgen executable on real loop-mounted btrfs images, as root.</summary>
public class IntegrationTests
{
    static string Current(string top) => new FileInfo(Path.Combine(top, "current")).LinkTarget!;

    static string Slot(string top, int n) =>
        Path.GetFileName(new FileInfo(Path.Combine(top, "current", n.ToString())).LinkTarget!);

    static void AssertReadOnlySubvolume(string path)
    {
        Assert.Contains("ro=true", Sh.Run("btrfs", "property", "get", "-ts", path, "ro"));
    }

    /// <summary>DESIGN's invariants: current resolves, every slot is a read-only snapshot, nothing mounted.</summary>
    static void AssertInvariants(LoopBtrfs disk, string top)
    {
        Assert.True(Directory.Exists(Path.Combine(top, "current")), "current must resolve");
        for (var i = 0; i < 4; i++)
            AssertReadOnlySubvolume(Path.Combine(top, "current", i.ToString(), "@"));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
        Assert.DoesNotContain(disk.Device, File.ReadAllText("/proc/self/mountinfo").Split('\n').Where(l => !l.Contains(disk.ScratchDirPath)));
    }

    static LoopBtrfs InitAdopted(out string top)
    {
        var disk = LoopBtrfs.Create();
        top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        var (code, output) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        return disk;
    }

    [Fact]
    public void Init_on_an_empty_device_makes_the_guides_layout_with_one_generation_in_every_slot()
    {
        using var disk = InitAdopted(out var top);
        foreach (var d in new[] { "next", "commons/@var@log", "commons/@home", "snapshots", "links" })
            Assert.True(Directory.Exists(Path.Combine(top, d)), d);
        Assert.StartsWith("./links/", Current(top));
        var id = Slot(top, 0);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(id, Slot(top, i)));
        Assert.Equal("../../snapshots/" + id, new FileInfo(Path.Combine(top, "current", "0")).LinkTarget);
        var fstab = File.ReadAllText(Path.Combine(top, "fstab"));
        Assert.Contains("subvol=CURRENT_SNAPSHOTS_PATH/@,ro", fstab);
        var uuid = Sh.Run("blkid", "-o", "value", "-s", "UUID", disk.Device).Trim();
        Assert.Contains($"UUID={uuid} /var/log btrfs subvol=/commons/@var@log", fstab);
        Assert.Contains($"subvol=/snapshots/{id}/@,ro", File.ReadAllText(Path.Combine(top, "current/0/@/etc/fstab")));
        Assert.Contains("state = pending", File.ReadAllText(Path.Combine(top, "snapshots", id, "generation.ini")));
        AssertInvariants(disk, top);
    }

    [Fact]
    public void Init_refuses_a_device_that_is_not_btrfs_and_changes_nothing()
    {
        using var disk = LoopBtrfs.Create(64, "ext4");
        var before = Sh.Run("sha256sum", disk.ImagePath).Split(' ')[0];
        var (code, output) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("apkgen: error:", output);
        Assert.Contains("btrfs", output);
        Assert.Equal(before, Sh.Run("sha256sum", disk.ImagePath).Split(' ')[0]);
    }

    [Fact]
    public void Init_refuses_an_existing_layout_and_changes_nothing()
    {
        using var disk = InitAdopted(out var top);
        var current = Current(top);
        var (code, output) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("already holds a layout", output);
        Assert.Equal(current, Current(top));
        Assert.Single(Directory.GetDirectories(Path.Combine(top, "snapshots")));
    }

    [Fact]
    public void List_and_status_work_on_a_layout_made_by_hand_from_the_guide()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        GuideLayout.Build(top);
        var (code, list) = RunApkgen("--device", disk.Device, "list");
        Assert.True(code == 0, list);
        Assert.Contains($"{GuideLayout.SnapshotId}  0,1,2,3  2021-04-11 21:25  good      made by hand (no apkgen metadata)", list);
        var (code2, status) = RunApkgen("--device", disk.Device, "status");
        Assert.True(code2 == 0, status);
        Assert.Contains($"current:  links/{GuideLayout.LinksId}", status);
        Assert.Contains($"slot 3: {GuideLayout.SnapshotId}", status);
        var (code3, json) = RunApkgen("--device", disk.Device, "list", "--json");
        Assert.True(code3 == 0, json);
        Assert.Contains("\"metadata\": false", json);
        Assert.Contains("\"slots\": [\n      0,\n      1,\n      2,\n      3\n    ]", json);
    }

    [Fact]
    public void A_change_on_a_guide_made_layout_becomes_slot_0_and_the_guides_generation_slot_1()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        GuideLayout.Build(top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/touch", "/etc/changed");
        Assert.True(code == 0, output);
        Assert.Equal(GuideLayout.SnapshotId, Slot(top, 1));
        Assert.True(File.Exists(Path.Combine(top, "current/0/@/etc/changed")));
        Assert.False(File.Exists(Path.Combine(top, "current/1/@/etc/changed")));
        AssertInvariants(disk, top);
    }

    [Fact]
    public void List_shows_the_generations_of_an_init_made_layout_with_their_commands()
    {
        using var disk = InitAdopted(out var top);
        Assert.Equal(0, RunApkgen("--device", disk.Device, "exec", "--", "/bin/touch", "/etc/x").Code);
        var (code, list) = RunApkgen("--device", disk.Device, "list");
        Assert.True(code == 0, list);
        Assert.Contains("exec /bin/touch /etc/x", list);
        Assert.Contains("init --adopt @", list);
    }

    [Fact]
    public void A_malformed_config_is_an_error_naming_file_and_key_and_exit_code_78()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var conf = Path.Combine(dir, "apkgen.conf");
        File.WriteAllText(conf, "[layout]\nslots = 4\n");
        var (code, output) = RunApkgen("--config", conf, "list");
        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains($"apkgen: error: {conf}: unknown key 'slots' in [layout]", output);
        File.WriteAllText(conf, "[layout\n");
        Assert.Equal(ExitCodes.Config, RunApkgen("--config", conf, "list").Code);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_failed_change_leaves_current_unchanged_and_nothing_behind_with_its_exit_code()
    {
        using var disk = InitAdopted(out var top);
        var current = Current(top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c", "touch /etc/x; exit 7");
        Assert.Equal(7, code);
        Assert.Contains("discarded", output);
        Assert.Equal(current, Current(top));
        Assert.Single(Directory.GetDirectories(Path.Combine(top, "snapshots")));
        AssertInvariants(disk, top);
    }

    [Fact]
    public void A_change_that_alters_nothing_makes_no_generation()
    {
        using var disk = InitAdopted(out var top);
        var current = Current(top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/cat", "/etc/hostname");
        Assert.True(code == 0, output);
        Assert.Contains("altered nothing", output);
        Assert.Equal(current, Current(top));
        Assert.Single(Directory.GetDirectories(Path.Combine(top, "snapshots")));
    }

    [Fact]
    public void A_change_that_only_deletes_a_file_is_a_change()
    {
        using var disk = InitAdopted(out var top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/rm", "/etc/hostname");
        Assert.True(code == 0, output);
        Assert.False(File.Exists(Path.Combine(top, "current/0/@/etc/hostname")));
        Assert.True(File.Exists(Path.Combine(top, "current/1/@/etc/hostname")));
    }

    [Fact]
    public void A_committed_generation_is_read_only_has_metadata_and_its_own_fstab()
    {
        using var disk = InitAdopted(out var top);
        var parent = Slot(top, 0);
        Assert.Equal(0, RunApkgen("--device", disk.Device, "exec", "--", "/bin/touch", "/etc/x").Code);
        var id = Slot(top, 0);
        Assert.NotEqual(parent, id);
        AssertReadOnlySubvolume(Path.Combine(top, "snapshots", id, "@"));
        var ini = File.ReadAllText(Path.Combine(top, "snapshots", id, "generation.ini"));
        Assert.Contains($"parent = {parent}", ini);
        Assert.Contains("command = exec /bin/touch /etc/x", ini);
        Assert.Contains("state = pending", ini);
        Assert.Contains($"subvol=/snapshots/{id}/@,ro", File.ReadAllText(Path.Combine(top, "current/0/@/etc/fstab")));
        AssertInvariants(disk, top);
    }

    [Fact]
    public void The_change_sees_proc_dev_a_private_run_and_the_commons()
    {
        using var disk = InitAdopted(out var top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c",
            "test -r /proc/self/stat && test -c /dev/null && test -e /run/apkgen-transaction && echo hi > /var/log/from-change && touch /etc/y");
        Assert.True(code == 0, output);
        Assert.Equal("hi\n", File.ReadAllText(Path.Combine(top, "commons/@var@log/from-change")));
        Assert.False(File.Exists(Path.Combine(top, "current/0/@/run/apkgen-transaction")));
        Assert.False(File.Exists(Path.Combine(top, "current/0/@/var/log/from-change")));
    }

    [Fact]
    public void Dns_works_when_resolv_conf_is_the_guides_symlink_to_tmp()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        File.Delete(Path.Combine(top, "@/etc/resolv.conf"));
        File.CreateSymbolicLink(Path.Combine(top, "@/etc/resolv.conf"), "/tmp/resolv.conf");
        Assert.Equal(0, RunApkgen("--device", disk.Device, "init", "--adopt", "@").Code);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c", "cat /etc/resolv.conf > /etc/seen-resolv");
        Assert.True(code == 0, output);
        Assert.Equal(File.ReadAllText("/etc/resolv.conf"), File.ReadAllText(Path.Combine(top, "current/0/@/etc/seen-resolv")));
    }

    [Fact]
    public void Dns_works_when_resolv_conf_is_a_regular_file_as_in_a_stock_alpine_root()
    {
        using var disk = InitAdopted(out var top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c", "cat /etc/resolv.conf > /etc/seen-resolv");
        Assert.True(code == 0, output);
        Assert.Equal(File.ReadAllText("/etc/resolv.conf"), File.ReadAllText(Path.Combine(top, "current/0/@/etc/seen-resolv")));
        Assert.Equal("nameserver 192.0.2.1\n", File.ReadAllText(Path.Combine(top, "current/0/@/etc/resolv.conf")));
    }

    [Fact]
    public void A_background_process_left_by_the_change_is_stopped_and_nothing_stays_mounted()
    {
        using var disk = InitAdopted(out var top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c", "sleep 600 >/dev/null 2>&1 & touch /etc/z");
        Assert.True(code == 0, output);
        Assert.Contains("stopping 1 process", output);
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "cmdline")),
            f => File.Exists(f) && SafeRead(f) == "sleep\0600\0");
        AssertInvariants(disk, top);
    }

    static string SafeRead(string f)
    {
        try { return File.ReadAllText(f); } catch (IOException) { return ""; }
    }

    [Fact]
    public void Rollback_promotes_a_fallback_to_slot_0_without_a_rebuild()
    {
        using var disk = InitAdopted(out var top);
        var first = Slot(top, 0);
        Assert.Equal(0, RunApkgen("--device", disk.Device, "exec", "--", "/bin/touch", "/etc/a").Code);
        var second = Slot(top, 0);
        var (code, output) = RunApkgen("--device", disk.Device, "rollback");
        Assert.True(code == 0, output);
        Assert.Equal(first, Slot(top, 0));
        Assert.Equal(second, Slot(top, 1));
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
        AssertInvariants(disk, top);
    }

    [Fact]
    public void Rollback_to_a_slot_that_does_not_exist_fails_and_changes_nothing()
    {
        using var disk = InitAdopted(out var top);
        var current = Current(top);
        Assert.Equal(ExitCodes.DataError, RunApkgen("--device", disk.Device, "rollback", "9").Code);
        Assert.Equal(current, Current(top));
    }

    [Fact]
    public void Gc_deletes_what_nothing_references_and_keeps_pinned_generations()
    {
        using var disk = InitAdopted(out var top);
        var conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
        File.WriteAllText(conf, "[layout]\nlinks = 2\n[gc]\nauto = false\n");
        // In the order they were made: ids sort by age only to the second, and these four
        // changes often share one.
        var all = new List<string> { Slot(top, 0) };
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(0, RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", $"/etc/f{i}").Code);
            all.Add(Slot(top, 0));
        }
        Assert.Equal(5, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
        Assert.Equal(0, RunApkgen("--config", conf, "--device", disk.Device, "pin", all[1]).Code);
        var (dryCode, dry) = RunApkgen("--config", conf, "--device", disk.Device, "gc", "--dry-run");
        Assert.True(dryCode == 0, dry);
        Assert.Contains($"would delete generation {all[0]}", dry);
        Assert.Equal(5, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
        var (code, output) = RunApkgen("--config", conf, "--device", disk.Device, "gc");
        Assert.True(code == 0, output);
        var left = Directory.GetDirectories(Path.Combine(top, "snapshots")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { all[1], all[3], all[4] }.Order(StringComparer.Ordinal), left);
        Assert.Single(Directory.GetDirectories(Path.Combine(top, "links")));
        Assert.Contains("nothing to delete", RunApkgen("--config", conf, "--device", disk.Device, "gc").Output);
    }

    [Fact]
    public void Gc_never_deletes_the_booted_generation()
    {
        using var disk = InitAdopted(out var top);
        var conf = Path.Combine(disk.ScratchDirPath, "apkgen.conf");
        File.WriteAllText(conf, "[layout]\nlinks = 2\n[gc]\nauto = false\n");
        var booted = Slot(top, 0);
        for (var i = 0; i < 3; i++)
            Assert.Equal(0, RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", $"/etc/f{i}").Code);
        var mountinfo = Path.Combine(disk.ScratchDirPath, "mountinfo");
        File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro,noatime shared:1 - btrfs {disk.Device} rw,subvol=/snapshots/{booted}/@\n");
        var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = "/dev/null" };
        var (code, output) = RunApkgen(env, "--config", conf, "--device", disk.Device, "gc");
        Assert.True(code == 0, output);
        Assert.True(Directory.Exists(Path.Combine(top, "snapshots", booted, "@")), output);
        Assert.Equal(3, Directory.GetDirectories(Path.Combine(top, "snapshots")).Length);
    }

    [Fact]
    public void Gc_on_a_guide_made_layout_deletes_only_unreferenced_generations()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        GuideLayout.Build(top);
        // A stray generation and links directory, as syscln would find them.
        Directory.CreateDirectory(Path.Combine(top, "snapshots", "20200101000000abcdefgh"));
        Sh.Run("btrfs", "subvolume", "snapshot", "-r", Path.Combine(top, "snapshots", GuideLayout.SnapshotId, "@"),
            Path.Combine(top, "snapshots", "20200101000000abcdefgh", "@"));
        Directory.CreateDirectory(Path.Combine(top, "links", "20200101000000zzzzzzzz"));
        File.CreateSymbolicLink(Path.Combine(top, "links", "20200101000000zzzzzzzz", "0"), "../../snapshots/20200101000000abcdefgh");
        var (code, output) = RunApkgen("--device", disk.Device, "gc");
        Assert.True(code == 0, output);
        Assert.False(Directory.Exists(Path.Combine(top, "snapshots", "20200101000000abcdefgh")));
        Assert.False(Directory.Exists(Path.Combine(top, "links", "20200101000000zzzzzzzz")));
        Assert.True(Directory.Exists(Path.Combine(top, "current", "0", "@")));
    }

    [Fact]
    public void Diff_shows_the_package_changes_between_two_generations()
    {
        using var disk = InitAdopted(out var top);
        var (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c",
            "printf 'P:musl\\nV:1.2.6-r0\\n\\nP:nginx\\nV:1.26-r0\\n\\n' > /lib/apk/db/installed; printf 'musl\\nnginx\\n' > /etc/apk/world");
        Assert.True(code == 0, output);
        var (dcode, diff) = RunApkgen("--device", disk.Device, "diff");
        Assert.True(dcode == 0, diff);
        Assert.Contains("+ nginx-1.26-r0", diff);
        Assert.Contains("- busybox-1.36.1-r0", diff);
        Assert.Contains("^ musl 1.2.5-r0 -> 1.2.6-r0", diff);
        Assert.Contains("world + nginx", diff);
        Assert.Contains("1 added, 2 removed, 1 upgraded", RunApkgen("--device", disk.Device, "list").Output);
    }
}
