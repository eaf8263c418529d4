using System.Text.RegularExpressions;
using Apkgen.Core;

namespace Apkgen.Package.Tests;

/// The man pages: each builds with scdoc without a word of complaint, and apkgen(8) documents
/// every exit code apkgen has.
public sealed partial class ManPageTests
{
    static IReadOnlyList<string> PageFiles => Repository.Files("doc", "*.scd");
    public static TheoryData<string> Pages => new(PageFiles);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Scdoc_builds_the_page_without_warnings(string file)
    {
        var result = await Tool.RunAsync("scdoc", [], standardInput: Repository.Read(file));
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"scdoc < {file}: {result.Describe()}");
        var name = Path.GetFileNameWithoutExtension(file);
        var section = name[(name.LastIndexOf('.') + 1)..];
        Assert.Contains($".TH \"{name[..name.LastIndexOf('.')]}\" \"{section}\"", result.StandardOutput);
    }

    [Fact]
    public void The_pages_for_section_5_and_8_are_all_there_is()
    {
        Assert.All(PageFiles, f => Assert.Matches(@"^doc/[a-z.-]+\.[58]\.scd$", f));
        Assert.Contains("doc/apkgen.8.scd", PageFiles);
        Assert.Contains("doc/apkgen.conf.5.scd", PageFiles);
    }

    [Fact]
    public void Apkgen_8_documents_every_exit_code_and_no_other()
    {
        var codes = typeof(ExitCodes).GetFields()
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (int)f.GetRawConstantValue()!)
            .Order()
            .ToArray();
        var page = Repository.Read("doc/apkgen.8.scd");
        var section = Regex.Match(page, @"^# EXIT STATUS\n(.*?)^# ", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, "apkgen(8) has no EXIT STATUS section");
        var documented = CodeLine().Matches(section.Groups[1].Value).Select(m => int.Parse(m.Groups[1].Value)).Order().ToArray();
        Assert.Equal(codes, documented);
    }

    [GeneratedRegex(@"^\*(\d+)\*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();
}
