namespace Apkgen.Package.Tests;

/// <summary>
/// The packaged executables are built with UseSystemResourceKeys, which leaves .NET's own
/// messages as resource keys; the file errors a user meets must still read as words.
/// </summary>
[Collection(PackageBuildCollection.Name)]
public sealed class ErrorMessageTests(PackageBuild build) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-errors-").FullName;

    [Theory]
    [InlineData("apkgen", "list")]
    [InlineData("apkgen-refind", "--stdout")]
    [InlineData("apkgen-bootcheck", "status")]
    public async Task An_unreadable_configuration_is_reported_in_words(string exe, string verb)
    {
        build.AssertBuilt();
        File.SetUnixFileMode(_dir, (UnixFileMode)Convert.ToInt32("755", 8));
        var config = Path.Combine(_dir, "apkgen.conf");
        File.WriteAllText(config, "[gc]\nauto = true\n");
        File.SetUnixFileMode(config, UnixFileMode.None);
        var binary = Path.Combine(build.PackageDirPath("apkgen"), "usr/bin", exe);
        // As nobody: root reads a file whatever its mode.
        var result = await Tool.RunAsync("setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", binary, "--config", config, verb], workDirPath: "/");
        // As a user who is not root: 77 (EX_NOPERM), the file and the reason in words.
        Assert.True(result.ExitCode == 77, result.Describe());
        Assert.Contains($"{exe}: error: cannot read the configuration file {config}: permission denied", result.StandardError);
        Assert.DoesNotContain("UnauthorizedAccess_", result.StandardError);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
