using System.Collections;
using CliWrap;
using CliWrap.Buffered;
using CliWrap.Builders;

namespace Apkgen.Package.Tests;

/// Runs the outside tools the package tests need (busybox, shellcheck, scdoc, bash, zsh, fish).
static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Describe() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
    }

    /// The full path of a tool, or a failed test saying how to get it: a test that cannot run fails.
    public static string Require(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"{name} is not installed; scripts/setup installs what the tests need");
        return path!;
    }

    public static async Task<Result> RunAsync(string name, IEnumerable<string> arguments,
        string? workDirPath = null, TimeSpan? timeout = null, string? standardInput = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        var command = Cli.Wrap(name.Contains('/') ? name : Require(name))
            .WithArguments(arguments)
            .WithWorkingDirectory(workDirPath ?? Repository.RootDirPath)
            .WithEnvironmentVariables(WithoutOuterBuildVariables)
            .WithValidation(CommandResultValidation.None);
        if (standardInput is not null) command = command.WithStandardInputPipe(PipeSource.FromString(standardInput));
        var result = await command.ExecuteBufferedAsync(cts.Token);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// dotnet test runs the tests inside a build of its own: its MSBuild and test host variables
    /// would point an inner dotnet build at the outer one.
    public static void WithoutOuterBuildVariables(EnvironmentVariablesBuilder env)
    {
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
                env.Set(name, null);
        }
    }
}
