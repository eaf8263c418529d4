using System.Text;
using CliWrap;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>Runs the fixture scripts under tests/boot and host tools, failing with their output.</summary>
public static class Shell
{
    /// <summary>The repository root (the directory holding apkgen.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Runs a program; returns its stdout; throws with stdout and stderr when it fails.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null, CancellationToken cancellation = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var argList = args.ToList();
        var result = await Cli.Wrap(program).WithArguments(argList)
            .WithEnvironmentVariables(env ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .ExecuteAsync(cancellation);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', argList)} exited with {result.ExitCode}\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
        return stdout.ToString();
    }

    /// <summary>Runs a script of tests/boot.</summary>
    public static Task<string> BootScriptAsync(string name, params string[] args) =>
        RunAsync(Path.Combine(RepoRoot, "tests", "boot", name), args);

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "apkgen.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"apkgen.sln not found above {AppContext.BaseDirectory}");
    }
}
