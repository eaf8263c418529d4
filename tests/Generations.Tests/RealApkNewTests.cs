using System.Text.Json;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 17, part 3 against the real apk (2.14.4, or 3.0.6 with APKGEN_TEST_APK=3): a
/// configuration file changed in a generation, then the package reinstalled (apk fix) or
/// upgraded: apk keeps the changed file and writes FILE.apk-new; apkgen names it after the
/// change, with the way to merge it, and records it in generation.ini and list --json.
/// The kit's mkinitfs ships /etc/mkinitfs/mkinitfs.conf.
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkNewTests
{
    const string Conf = "/etc/mkinitfs/mkinitfs.conf";

    [Fact]
    public void A_reinstall_over_a_changed_config_file_lists_and_records_the_apk_new_the_real_apk_wrote()
    {
        using var s = RealAlpineSystem.Create();
        var (acode, added) = s.Apk("add", "mkinitfs");
        Assert.True(acode == 0, added);
        Assert.DoesNotContain(".apk-new", added);
        Assert.DoesNotContain("apk_new", s.Ini(s.Slot(0)));
        var (ecode, edited) = s.Apkgen("exec", "--", "/bin/sh", "-c", $"echo 'features=\"base btrfs\"' > {Conf}");
        Assert.True(ecode == 0, edited);

        var (code, output) = s.Apk("fix", "mkinitfs");
        Assert.True(code == 0, output);
        var id = s.Slot(0);
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "etc/mkinitfs/mkinitfs.conf.apk-new")), $"the real apk wrote no .apk-new:\n{output}");
        Assert.Equal("features=\"base btrfs\"\n", File.ReadAllText(Path.Combine(s.Slot0Root, "etc/mkinitfs/mkinitfs.conf")));
        Assert.Contains("apkgen: apk kept a configuration file that was changed here and wrote the package's version beside it:\napkgen:   /etc/mkinitfs/mkinitfs.conf.apk-new\n", output);
        Assert.Contains($"apkgen: to merge: apkgen shell, then for each file: diff -u {Conf} {Conf}.apk-new; edit {Conf} (or mv {Conf}.apk-new {Conf}); rm -f {Conf}.apk-new", output);
        Assert.Contains($"apk_new = {Conf}.apk-new\n", s.Ini(id));
        var (lcode, json) = s.Apkgen("list", "--json");
        Assert.True(lcode == 0, json);
        var entry = JsonDocument.Parse(json).RootElement.EnumerateArray().Single(g => g.GetProperty("id").GetString() == id);
        Assert.Equal([Conf + ".apk-new"], entry.GetProperty("apk_new").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains("[1 .apk-new]", s.Apkgen("list").Output);

        // The next change inherits the file but did not create it: not listed again.
        var (hcode, hello) = s.Apk("add", "hello");
        Assert.True(hcode == 0, hello);
        Assert.DoesNotContain(".apk-new", hello);
        Assert.DoesNotContain("apk_new", s.Ini(s.Slot(0)));
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "etc/mkinitfs/mkinitfs.conf.apk-new")));

        // Reinstalled again with the .apk-new still there: apk writes the same bytes over it, which
        // changes nothing, so no generation. Once it is merged away, the next reinstall makes it
        // again, and it counts as created by that change.
        var (scode, same) = s.Apk("fix", "mkinitfs");
        Assert.True(scode == 0, same);
        Assert.Contains("the change altered nothing", same);
        Assert.Equal(0, s.Apkgen("exec", "--", "/bin/rm", $"{Conf}.apk-new").Code);
        var (fcode, again) = s.Apk("fix", "mkinitfs");
        Assert.True(fcode == 0, again);
        Assert.Contains($"apkgen:   {Conf}.apk-new\n", again);
        Assert.Contains($"apk_new = {Conf}.apk-new\n", s.Ini(s.Slot(0)));
    }

    [Fact]
    public void An_unchanged_config_file_is_replaced_by_the_reinstall_and_no_apk_new_is_reported()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "mkinitfs").Code);
        Assert.Equal(0, s.Apkgen("exec", "--", "/bin/touch", "/etc/other").Code);
        var (code, output) = s.Apk("fix", "mkinitfs");
        Assert.True(code == 0, output);
        Assert.False(File.Exists(Path.Combine(s.Slot0Root, "etc/mkinitfs/mkinitfs.conf.apk-new")), output);
        Assert.DoesNotContain(".apk-new", output);
    }
}
