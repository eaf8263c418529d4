using System.Text.RegularExpressions;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// <c>apkgen diff --files</c> on a real Alpine root changed by the real apk (2.14.4, or 3.0.6
/// with APKGEN_TEST_APK=3) and by <c>apkgen exec</c>: what the package diff alone does not say.
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkDiffTests
{
    [Fact]
    public void Diff_files_after_apk_add_lists_every_file_of_the_package_as_added()
    {
        using var s = RealAlpineSystem.Create();
        var (acode, added) = s.Apk("add", "hello");
        Assert.True(acode == 0, added);
        var (lcode, listing) = RealAlpineSystem.RunRealApk("--root", s.Slot0Root, "info", "-L", "hello");
        Assert.True(lcode == 0, listing);
        // "hello-1.0-r0 contains:" then one path per line (apk 2 and 3 alike).
        var files = listing.Split('\n').Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.Contains(' ')).ToList();
        Assert.NotEmpty(files);

        var (code, diff) = s.Apkgen("diff", "--files");
        Assert.True(code == 0, diff);
        var lines = diff.Split('\n').ToHashSet();
        foreach (var f in files) Assert.True(lines.Contains("A /" + f), $"A /{f} is missing from:\n{diff}");
        // apk's own database changed with it; nothing was removed.
        Assert.Contains("M /lib/apk/db/installed", lines);
        Assert.Contains("M /etc/apk/world", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("D ", StringComparison.Ordinal));

        var (jcode, json) = s.Apkgen("diff", "--files", "--json");
        Assert.True(jcode == 0, json);
        Assert.Contains("\"method\": \"btrfs\"", json);
        foreach (var f in files) Assert.Contains($"\"/{f}\"", json);
        var (wcode, walked) = s.Apkgen("diff", "--files", "--walk");
        Assert.True(wcode == 0, walked);
        Assert.Equal(diff, walked);
    }

    [Fact]
    public void Diff_files_after_apkgen_exec_shows_the_changed_motd_and_the_removed_issue()
    {
        using var s = RealAlpineSystem.Create();
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "etc/issue")), "the minirootfs has etc/issue");
        var (ecode, exec) = s.Apkgen("exec", "--", "sh", "-c", "echo x > /etc/motd; rm /etc/issue");
        Assert.True(ecode == 0, exec);
        var (code, diff) = s.Apkgen("diff", "--files");
        Assert.True(code == 0, diff);
        // etc/fstab names each generation's own snapshot (subvol=/snapshots/<id>/@): it differs in every pair.
        Assert.Equal("M /etc/fstab\nD /etc/issue\nM /etc/motd\n", Regex.Replace(diff, "^(---|\\+\\+\\+) .*\n", "", RegexOptions.Multiline));
        var (pcode, packages) = s.Apkgen("diff");
        Assert.True(pcode == 0, packages);
        Assert.Contains("no package changes", packages);
    }
}
