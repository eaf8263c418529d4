namespace Apkgen.StandIn.Tests;

/// <summary>The shell scripts pass shellcheck (POSIX sh: their #!/bin/sh).</summary>
public sealed class ShellcheckTests
{
    [Theory]
    [InlineData("apk-hooks/apkgen")]
    [InlineData("tests/apk-standin/apk")]
    public async Task The_script_passes_shellcheck(string relativePath)
    {
        var path = Path.Combine(TestRoot.RepoDir, relativePath);
        Assert.True(File.Exists(path), path);

        var r = await TestRoot.RunAsync("shellcheck", [path]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0, path + " is not executable");
    }
}
