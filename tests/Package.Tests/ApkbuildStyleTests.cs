using System.Text.RegularExpressions;

namespace Apkgen.Package.Tests;

/// The APKBUILD in aports' style (aports CODINGSTYLE.md): what shellcheck cannot see.
public sealed partial class ApkbuildStyleTests
{
    static readonly string[] Lines = Repository.Read("APKBUILD").Split('\n');

    [Fact]
    public void It_is_indented_with_tabs_only()
    {
        var spaced = Lines.Select((l, i) => (Line: l, Number: i + 1)).Where(x => x.Line.StartsWith(' ') || x.Line.TrimEnd() != x.Line);
        Assert.Empty(spaced.Select(x => $"line {x.Number}: '{x.Line}'"));
    }

    [Fact]
    public void The_maintainer_comes_first_then_pkgname()
    {
        var firstAssignments = Lines.Where(l => Assignment().IsMatch(l)).Take(2).Select(l => l[..l.IndexOf('=')]);
        Assert.Equal(["maintainer", "pkgname"], firstAssignments);
    }

    [Fact]
    public void All_metadata_comes_before_the_first_function()
    {
        var firstFunction = Array.FindIndex(Lines, l => Function().IsMatch(l));
        Assert.True(firstFunction > 0, "the APKBUILD has no function");
        var late = Lines.Skip(firstFunction).Where(l => Assignment().IsMatch(l) && !l.StartsWith("sha512sums="));
        Assert.Empty(late);
    }

    [Fact]
    public void The_functions_are_in_the_order_abuild_calls_them()
    {
        string[] order = ["prepare", "build", "check", "package"];
        var functions = Lines.Select(l => Function().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        var phases = functions.Where(order.Contains).ToList();
        Assert.Equal(order.Where(phases.Contains), phases);
        Assert.Equal(["build", "check", "package"], phases.Where(p => p != "prepare"));
        // split functions come after package()
        var afterPackage = functions.SkipWhile(f => f != "package").Skip(1);
        Assert.DoesNotContain(afterPackage, order.Contains);
    }

    [Fact]
    public void Every_options_entry_is_explained_by_a_comment()
    {
        var index = Array.FindIndex(Lines, l => l.StartsWith("options="));
        Assert.True(index > 0, "the APKBUILD sets no options");
        var entries = Lines[index].Split('"')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var comments = Lines.Take(index).Reverse().TakeWhile(l => l.StartsWith('#')).ToList();
        Assert.All(entries, e => Assert.Contains(comments, c => c.StartsWith($"# {e}: ")));
    }

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*)\(\) \{$")]
    private static partial Regex Function();
}
