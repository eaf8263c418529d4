using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Apkgen.Core.Linux;
using Apkgen.Core.Space;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 17, part 4 on a real loop btrfs and a real Alpine root: the free space apkgen reads
/// is what btrfs-progs reports, a change below [change] min_free is refused before any
/// snapshot, and the exclusive sizes are the kernel's qgroup numbers (or a stated estimate).
/// </summary>
public partial class SpaceIntegrationTests
{
    const long MiB = 1L << 20;

    [Fact]
    public void The_free_space_apkgen_reads_is_what_btrfs_filesystem_usage_calls_free_estimated()
    {
        Sh.RequireRoot();
        using var disk = LoopBtrfs.Create(512);
        var top = disk.MountTop();
        Sh.Run("dd", "if=/dev/urandom", $"of={top}/data", "bs=1M", "count=30", "status=none");
        Sh.Run("sync");
        var usage = new LinuxBtrfsSpace().Usage(top);
        var progs = Sh.Run("btrfs", "filesystem", "usage", "-b", top);
        Assert.Equal(Field(progs, "Device size"), usage.Size);
        Assert.Equal(Field(progs, "Device unallocated"), usage.Unallocated);
        Assert.Equal(Field(progs, "Free (estimated)"), usage.Free);
        Assert.Equal(Field(progs, "Global reserve"), usage.GlobalReserve);
        Assert.Equal(2.0, usage.MetadataRatio); // mkfs.btrfs's DUP metadata on one device
        Assert.InRange(usage.DataUsed, 30 * MiB, 31 * MiB);
    }

    [Fact]
    public void The_check_costs_well_under_a_millisecond()
    {
        Sh.RequireRoot();
        using var disk = LoopBtrfs.Create(512);
        var top = disk.MountTop();
        var space = new LinuxBtrfsSpace();
        var check = new SpaceCheck(space.Usage(top), FreeSpaceMinimum.Auto); // warm-up (JIT)
        Assert.True(check.Passes, check.Refusal());
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            _ = new SpaceCheck(space.Usage(top), FreeSpaceMinimum.Auto).Passes;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        var median = times.Order().ElementAt(times.Count / 2);
        Assert.True(median < 1, $"median {median:F3} ms over 200 checks");
    }

    static long Field(string usageOutput, string name) =>
        long.Parse(Regex.Match(usageOutput, @"^\s*" + Regex.Escape(name) + @":\s+(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>
    /// gen 0 adopted; gen 1 writes 40 MiB of its own; gen 2 deletes them; gens 3-5 touch a
    /// file. With 4 slots and gc off, gens 0 and 1 are what gc would delete, and gen 1 alone
    /// holds the 40 MiB.
    /// </summary>
    static (RealAlpineSystem System, string Big) WithADeletableGeneration()
    {
        var s = RealAlpineSystem.Create(extraConfig: "[gc]\nauto = false\n");
        try
        {
            Assert.Equal(0, s.Apkgen("exec", "--", "/bin/dd", "if=/dev/urandom", "of=/big", "bs=1M", "count=40").Code);
            var big = s.Slot(0);
            Assert.Equal(0, s.Apkgen("exec", "--", "/bin/rm", "/big").Code);
            for (var i = 0; i < 3; i++) Assert.Equal(0, s.Apkgen("exec", "--", "/bin/touch", $"/etc/t{i}").Code);
            return (s, big);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    static JsonElement Entry(string listJson, string id) =>
        JsonDocument.Parse(listJson).RootElement.EnumerateArray().Single(g => g.GetProperty("id").GetString() == id);

    static long ParseSize(string text)
    {
        var m = SizePattern().Match(text);
        Assert.True(m.Success, $"no size in '{text}'");
        var unit = m.Groups[2].Value switch { "B" => 1L, "KiB" => 1L << 10, "MiB" => 1L << 20, "GiB" => 1L << 30, _ => 1L << 40 };
        return (long)(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * unit);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB)")]
    private static partial Regex SizePattern();

    [Fact]
    public void A_change_below_min_free_is_refused_before_any_snapshot_with_exit_69_naming_the_free_space_the_minimum_and_what_gc_would_free()
    {
        var (s, _) = WithADeletableGeneration();
        using var _s = s;
        var strict = Path.Combine(s.Disk.ScratchDirPath, "strict.conf");
        File.WriteAllText(strict, File.ReadAllText(s.ConfigPath) + "[change]\nmin_free = 99%\n");
        var snapshots = Directory.GetDirectories(Path.Combine(s.Top, "snapshots")).Order().ToList();
        var slot0 = s.Slot(0);
        var (code, output) = ApkgenCli.RunApkgen("--config", strict, "exec", "--", "/bin/touch", "/etc/refused");
        Assert.True(code == ExitCodes.BelowMinFree, $"exit {code}, expected {ExitCodes.BelowMinFree}:\n{output}");
        Assert.Matches(@"apkgen: error: only \S+ \S+ is free on the btrfs \(\S+ \S+ in data chunks, \S+ \S+ unallocated\), less than \[change\] min_free \(99%, \S+ \S+ here\): the change was not started", output);
        var gc = Regex.Match(output, @"'apkgen gc' would free about ([^(]+) \(2 generation\(s\); an estimate: exclusive sizes are an estimate \(quotas are off\)");
        Assert.True(gc.Success, output);
        // gen 1's 40 MiB are its alone; gen 0 (the adopted root) shares nearly all with its children.
        Assert.InRange(ParseSize(gc.Groups[1].Value), 40 * MiB, 60 * MiB);
        Assert.Equal(snapshots, Directory.GetDirectories(Path.Combine(s.Top, "snapshots")).Order().ToList());
        Assert.Equal(slot0, s.Slot(0));
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
        // min_free = 0 turns the check off: the same change then goes through.
        File.WriteAllText(strict, File.ReadAllText(s.ConfigPath) + "[change]\nmin_free = 0\n");
        var (code0, output0) = ApkgenCli.RunApkgen("--config", strict, "exec", "--", "/bin/touch", "/etc/allowed");
        Assert.True(code0 == 0, output0);
    }

    [Fact]
    public void Gc_and_list_sizes_are_an_estimate_without_quotas_and_the_kernels_qgroup_exclusive_bytes_with_them()
    {
        var (s, big) = WithADeletableGeneration();
        using var _s = s;
        // Without quotas: FIEMAP's unshared extents; the 40 MiB of /big are gen 1's alone.
        var (code, output) = s.Apkgen("gc", "--dry-run", "--sizes");
        Assert.True(code == 0, output);
        var row = Regex.Match(output, "^" + big + @"\s+(\S+ \S+)\s+deleted$", RegexOptions.Multiline);
        Assert.True(row.Success, output);
        Assert.InRange(ParseSize(row.Groups[1].Value), 40 * MiB, 41 * MiB);
        Assert.Matches(@"kept \(slot 0\)", output);
        Assert.Contains("gc frees about ", output);
        Assert.Contains("exclusive sizes are an estimate (quotas are off)", output);
        var (lcode, json) = s.Apkgen("list", "--json", "--sizes");
        Assert.True(lcode == 0, json);
        var entry = Entry(json, big);
        Assert.InRange(entry.GetProperty("exclusive_bytes").GetInt64(), 40 * MiB, 41 * MiB);
        Assert.Equal("estimate", entry.GetProperty("exclusive_source").GetString());
        Assert.DoesNotContain("exclusive_bytes", s.Apkgen("list", "--json").Output);

        // With quotas: the qgroup's exclusive bytes, as btrfs qgroup show reports them.
        Sh.Run("btrfs", "quota", "enable", s.Top);
        Sh.Run("btrfs", "quota", "rescan", "-w", s.Top);
        var subvolId = Regex.Match(Sh.Run("btrfs", "subvolume", "show", Path.Combine(s.Top, "snapshots", big, "@")), @"Subvolume ID:\s+(\d+)").Groups[1].Value;
        var show = Sh.Run("btrfs", "qgroup", "show", "--raw", s.Top);
        var excl = long.Parse(Regex.Match(show, @"^0/" + subvolId + @"\s+\d+\s+(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
        var (qcode, qoutput) = s.Apkgen("gc", "--dry-run", "--sizes");
        Assert.True(qcode == 0, qoutput);
        Assert.True(Regex.IsMatch(qoutput, "(?m)^" + big + @"\s+" + Regex.Escape(Sizes.Format(excl)) + @"\s+deleted$"), $"expected {Sizes.Format(excl)} (qgroup 0/{subvolId}):\n{qoutput}");
        Assert.Contains("exclusive sizes from btrfs qgroups", qoutput);
        var (q2, qjson) = s.Apkgen("list", "--json", "--sizes");
        Assert.True(q2 == 0, qjson);
        Assert.Equal(excl, Entry(qjson, big).GetProperty("exclusive_bytes").GetInt64());
        Assert.Equal("qgroup", Entry(qjson, big).GetProperty("exclusive_source").GetString());
        var (tcode, table) = s.Apkgen("list", "--sizes");
        Assert.True(tcode == 0, table);
        Assert.Matches(@"^ID\s+SLOTS\s+CREATED \(UTC\)\s+STATE\s+EXCLUSIVE\s+WHAT", table);
    }
}
