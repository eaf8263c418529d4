using System.Text;
using Apkgen.Core.Configuration;
using Apkgen.Core.Model;
using Apkgen.Core.Space;
using Apkgen.Core.Transactions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Apkgen.Generations.Tests;

/// <summary>The pure parts of issue 17's parts 3 and 4: [change] min_free, the free-space verdict, the .apk-new roots, report and record.</summary>
public class SpaceAndApkNewTests
{
    const long MiB = 1L << 20, GiB = 1L << 30;

    static ApkgenConfig Parse(string ini)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ini));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        return ApkgenConfig.Bind(root, "/etc/apkgen.conf");
    }

    [Theory]
    [InlineData("", "auto")]
    [InlineData("min_free = auto", "auto")]
    [InlineData("min_free = 0", "0")]
    [InlineData("min_free = 512M", "536870912")]
    [InlineData("min_free = 2G", "2147483648")]
    [InlineData("min_free = 5%", "5%")]
    [InlineData("min_free = 12345", "12345")]
    public void Min_free_takes_auto_a_size_or_a_percentage(string line, string expected) =>
        Assert.Equal(expected, Parse("[change]\n" + line + "\n").Change.MinFree.ToString());

    [Theory]
    [InlineData("1.5G")]
    [InlineData("100%")]
    [InlineData("-1G")]
    [InlineData("lots")]
    [InlineData("1GB")]
    public void A_malformed_min_free_is_a_config_error_naming_file_key_and_forms(string value)
    {
        var e = Assert.Throws<ApkgenException>(() => Parse($"[change]\nmin_free = {value}\n"));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
        Assert.Equal($"/etc/apkgen.conf: [change] min_free = '{value}' is not auto, a size (e.g. 1G, 512M, 0) or a percentage below 100 (e.g. 5%)", e.Message);
    }

    [Fact]
    public void Auto_is_1_GiB_but_never_more_than_a_tenth_of_the_filesystem()
    {
        Assert.Equal(GiB, FreeSpaceMinimum.Auto.For(100 * GiB));
        Assert.Equal(GiB, FreeSpaceMinimum.Auto.For(10 * GiB));
        Assert.Equal(512 * MiB / 10, FreeSpaceMinimum.Auto.For(512 * MiB));
        Assert.Equal(5 * GiB, FreeSpaceMinimum.Parse("5%")!.Value.For(100 * GiB));
        Assert.Equal(3 * GiB, FreeSpaceMinimum.Parse("3G")!.Value.For(10 * GiB)); // an explicit size is not capped
        Assert.True(FreeSpaceMinimum.Parse("0")!.Value.IsOff);
        Assert.False(FreeSpaceMinimum.Auto.IsOff);
    }

    // A 10 GiB single-device btrfs as mkfs.btrfs makes it: data single, metadata DUP.
    static SpaceUsage Disk(long dataTotal, long dataUsed, long unallocated, long metaTotal = 512 * MiB, long metaUsed = 100 * MiB) =>
        new(10 * GiB, unallocated, dataTotal, dataUsed, 1, metaTotal, metaUsed, 2, 16 * MiB);

    [Fact]
    public void Free_is_what_btrfs_filesystem_usage_calls_free_estimated_data_free_plus_unallocated_over_the_data_ratio()
    {
        var u = Disk(dataTotal: 4 * GiB, dataUsed: 3 * GiB, unallocated: 5 * GiB);
        Assert.Equal(GiB + 5 * GiB, u.Free);
        var raid1 = u with { DataRatio = 2 };
        Assert.Equal(GiB + 5 * GiB / 2, raid1.Free);
        Assert.Equal(512 * MiB - 100 * MiB - 16 * MiB, u.MetadataFree);
    }

    [Fact]
    public void Exhausted_metadata_leaves_nothing_free_however_much_data_space_is_free_as_the_kernels_statfs_says()
    {
        var u = Disk(dataTotal: 8 * GiB, dataUsed: 2 * GiB, unallocated: 1 * MiB, metaTotal: 256 * MiB, metaUsed: 238 * MiB);
        Assert.True(u.MetadataExhausted);
        Assert.Equal(0, u.Free);
        Assert.False((u with { Unallocated = 100 * MiB }).MetadataExhausted);
    }

    [Fact]
    public void A_refused_change_names_what_is_free_the_minimum_and_what_gc_would_free_as_an_estimate()
    {
        var check = new SpaceCheck(Disk(dataTotal: 9 * GiB, dataUsed: 9 * GiB - 100 * MiB, unallocated: 200 * MiB), FreeSpaceMinimum.Auto);
        Assert.False(check.Passes);
        Assert.Equal("only 300 MiB is free on the btrfs (100 MiB in data chunks, 200 MiB unallocated), less than [change] min_free (auto, 1.00 GiB here): the change was not started",
            check.Refusal());
        var sizes = new GenerationSizes(new Dictionary<string, long> { ["a"] = 400 * MiB, ["b"] = 24 * MiB }, SizeSource.Estimate);
        Assert.Equal("'apkgen gc' would free about 424 MiB (2 generation(s); an estimate: exclusive sizes are an estimate (quotas are off): the file data no other subvolume shares, as 'btrfs filesystem du' counts it, without metadata); "
            + "or free space in the commons, or lower [change] min_free in /etc/apkgen.conf (0 turns the check off)",
            SpaceCheck.Remedy(sizes.Total(["a", "b"]), 2, sizes));
        Assert.StartsWith("'apkgen gc' has no generation to delete; ", SpaceCheck.Remedy(null, 0, null));
        Assert.True(new SpaceCheck(check.Usage, FreeSpaceMinimum.Parse("0")!.Value).Passes);
        Assert.True(new SpaceCheck(check.Usage, FreeSpaceMinimum.Parse("300M")!.Value).Passes);
    }

    [Fact]
    public void Sizes_read_as_binary_units_with_three_digits()
    {
        Assert.Equal("0 B", Sizes.Format(0));
        Assert.Equal("1023 B", Sizes.Format(1023));
        Assert.Equal("1.00 KiB", Sizes.Format(1024));
        Assert.Equal("1.50 GiB", Sizes.Format(3 * GiB / 2));
        Assert.Equal("12.3 MiB", Sizes.Format((long)(12.3 * MiB)));
        Assert.Equal("300 MiB", Sizes.Format(300 * MiB));
    }

    [Fact]
    public void The_walked_roots_are_etc_and_the_fixed_part_of_every_protecting_line_of_protected_paths_d()
    {
        string[] lines = ["# comment", "", "+usr/local/etc", "-etc/ssl/misc", "@var/lib/thing/", "!/opt/app/conf/*.ini", "etc/conf.d", "*/anywhere", "+usr/local/etc/sub"];
        Assert.Equal(["etc", "opt/app/conf", "usr/local/etc", "var/lib/thing"], ApkNewFiles.ProtectedRoots(lines));
        Assert.Equal(["etc"], ApkNewFiles.ProtectedRoots([]));
    }

    [Fact]
    public void The_report_lists_the_files_and_the_one_way_to_merge_them()
    {
        Assert.Empty(ApkNewFiles.Report([]));
        Assert.Equal(
            [
                "apk kept 2 configuration files that were changed here and wrote the package's version beside each:",
                "  /etc/a.conf.apk-new",
                "  /etc/b/c.apk-new",
                "to merge: apkgen shell, then for each file: diff -u /etc/a.conf /etc/a.conf.apk-new; edit /etc/a.conf (or mv /etc/a.conf.apk-new /etc/a.conf); rm -f /etc/a.conf.apk-new",
            ],
            ApkNewFiles.Report(["/etc/a.conf.apk-new", "/etc/b/c.apk-new"]));
    }

    [Fact]
    public void Generation_ini_records_the_apk_new_files_and_reads_them_back_spaces_and_percent_signs_included()
    {
        var info = new GenerationInfo { Id = "20260101000000abcdefgh", ApkNew = ["/etc/a.conf.apk-new", "/etc/my file%.apk-new"] };
        var text = info.Render();
        Assert.Contains("apk_new = /etc/a.conf.apk-new /etc/my%20file%25.apk-new\n", text);
        Assert.Equal(info.ApkNew, GenerationInfo.Parse(info.Id, text).ApkNew);
        Assert.DoesNotContain("apk_new", new GenerationInfo { Id = info.Id }.Render());
        Assert.Empty(GenerationInfo.Parse(info.Id, new GenerationInfo { Id = info.Id }.Render()).ApkNew);
    }
}
