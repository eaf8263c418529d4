using System.Text.RegularExpressions;

namespace Apkgen.Package.Tests;

/// <summary>
/// Keeps the completions and the man pages true to the binaries: every command and long option
/// that a published executable lists in its --help (and its commands' --help) is offered by the
/// bash, zsh and fish completions and documented in its man page. System.CommandLine 2.0 cannot
/// emit static completion scripts, so they are written by hand and held to the binaries here.
/// </summary>
[Collection(PackageBuildCollection.Name)]
public sealed partial class HelpCoverageTests(PackageBuild build, ITestOutputHelper output)
{
    public static TheoryData<string> Executables => new(Repository.Executables);

    /// The executables that have a man page so far: apkgen's is here; apkgen-refind(8) and
    /// apkgen-bootcheck(8) come with their executables and are held to them as they land.
    public static TheoryData<string> ExecutablesWithManPages =>
        new(Repository.Executables.Where(exe => exe == "apkgen" || File.Exists(Repository.PathOf($"doc/{exe}.8.scd"))));

    /// One command line level: a command path ("" for the executable itself), its long options and subcommands.
    sealed record HelpLevel(string CommandPath, IReadOnlyList<string> Options, IReadOnlyList<string> Commands);

    async Task<IReadOnlyList<HelpLevel>> ReadHelp(string exe)
    {
        build.AssertBuilt();
        var binary = Path.Combine(build.PackageDirPath("apkgen"), "usr/bin", exe);
        var levels = new List<HelpLevel>();
        var queue = new Queue<string[]>([[]]);
        while (queue.Count > 0)
        {
            var path = queue.Dequeue();
            var result = await Tool.RunAsync(binary, [.. path, "--help"]);
            Assert.True(result.ExitCode == 0, $"{exe} {string.Join(' ', path)} --help: {result.Describe()}");
            var level = ParseHelp(string.Join(' ', path), result.StandardOutput);
            levels.Add(level);
            foreach (var command in level.Commands) queue.Enqueue([.. path, command]);
        }
        foreach (var level in levels)
            output.WriteLine($"{exe} {level.CommandPath}: commands [{string.Join(' ', level.Commands)}] options [{string.Join(' ', level.Options)}]");
        return levels;
    }

    /// Reads System.CommandLine's help: the first column of the "Options:" and "Commands:" sections.
    static HelpLevel ParseHelp(string commandPath, string help)
    {
        var options = new List<string>();
        var commands = new List<string>();
        List<string>? section = null;
        foreach (var line in help.Split('\n'))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                section = line.TrimEnd() switch { "Options:" => options, "Commands:" => commands, _ => null };
                continue;
            }
            if (section is null || line.Trim().Length == 0) continue;
            var first = ColumnGap().Split(line.Trim())[0];
            if (section == commands)
                commands.Add(first.Split(' ')[0]);
            else
                options.AddRange(first.Split(", ").Select(o => o.Split(' ')[0]).Where(o => o.StartsWith("--")));
        }
        return new HelpLevel(commandPath, options, commands);
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    [Theory]
    [MemberData(nameof(Executables))]
    public async Task The_bash_completion_offers_every_command_and_option_the_binary_lists(string exe)
    {
        var script = Repository.PathOf($"completions/{exe}.bash");
        var function = Regex.Match(File.ReadAllText(script), @"complete -F (\S+) " + Regex.Escape(exe) + @"\s*$", RegexOptions.Multiline);
        Assert.True(function.Success, $"{script} registers no completion function for {exe}");
        foreach (var level in await ReadHelp(exe))
        {
            var words = level.CommandPath.Length == 0 ? [exe] : new[] { exe }.Concat(level.CommandPath.Split(' ')).ToArray();
            var offeredWords = await Complete(script, function.Groups[1].Value, [.. words, ""]);
            var offeredOptions = await Complete(script, function.Groups[1].Value, [.. words, "-"]);
            Assert.All(level.Commands, c => Assert.True(offeredWords.Contains(c), $"bash: '{exe} {level.CommandPath} <TAB>' does not offer {c}"));
            Assert.All(level.Options, o => Assert.True(offeredOptions.Contains(o), $"bash: '{exe} {level.CommandPath} -<TAB>' does not offer {o}"));
        }
    }

    /// COMPREPLY for the words of a command line whose last word is being completed.
    static async Task<HashSet<string>> Complete(string script, string function, string[] words)
    {
        var quoted = string.Join(' ', words.Select(w => "'" + w + "'"));
        var program = $"source '{script}'; COMP_WORDS=({quoted}); COMP_CWORD={words.Length - 1}; {function}; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var result = await Tool.RunAsync("bash", ["--norc", "--noprofile", "-c", program]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
    }

    [Theory]
    [MemberData(nameof(Executables))]
    public async Task The_zsh_completion_names_every_command_and_option_the_binary_lists(string exe)
    {
        var text = Repository.Read($"completions/{exe}.zsh");
        Assert.StartsWith($"#compdef {exe}\n", text);
        foreach (var level in await ReadHelp(exe))
        {
            Assert.All(level.Commands, c => Assert.True(text.Contains($"'{c}:"), $"zsh: {exe} {level.CommandPath}: no '{c}:description' entry"));
            Assert.All(level.Options, o => Assert.True(Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(o)}(?![\w-])"), $"zsh: {exe} {level.CommandPath}: {o} missing"));
        }
    }

    [Theory]
    [MemberData(nameof(Executables))]
    public async Task The_fish_completion_names_every_command_and_option_the_binary_lists(string exe)
    {
        var text = Repository.Read($"completions/{exe}.fish");
        foreach (var level in await ReadHelp(exe))
        {
            Assert.All(level.Commands, c => Assert.True(Regex.IsMatch(text, $@"-a '?{Regex.Escape(c)}\b"), $"fish: {exe} {level.CommandPath}: no '-a {c}'"));
            Assert.All(level.Options, o => Assert.True(Regex.IsMatch(text, $@"-l {Regex.Escape(o[2..])}(?![\w-])"), $"fish: {exe} {level.CommandPath}: no '-l {o[2..]}'"));
        }
    }

    [Theory]
    [MemberData(nameof(ExecutablesWithManPages))]
    public async Task The_man_page_documents_every_command_and_option_the_binary_lists(string exe)
    {
        var page = Repository.Read($"doc/{exe}.8.scd");
        foreach (var level in await ReadHelp(exe))
        {
            Assert.All(level.Commands, c => Assert.True(page.Contains($"*{c}*"), $"{exe}(8) does not document the command {c} (as *{c}*)"));
            Assert.All(level.Options, o => Assert.True(page.Contains($"*{o}*"), $"{exe}(8) does not document {o} (as *{o}*)"));
        }
    }
}
