using CliWrap;
using CliWrap.Buffered;

namespace Apkgen.Refind.Tests;

/// <summary>Runs the real tools the integration tests need (as root).</summary>
static class Shell
{
    public static string Run(params string[] args)
    {
        var r = Cli.Wrap(args[0]).WithArguments(args[1..]).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync().GetAwaiter().GetResult();
        Assert.True(r.ExitCode == 0, $"{string.Join(' ', args)} exited {r.ExitCode}: {r.StandardError}");
        return r.StandardOutput;
    }

    public static void RequireRoot(string why) =>
        Assert.True(Environment.UserName == "root", $"this test must run as root: {why}");
}
