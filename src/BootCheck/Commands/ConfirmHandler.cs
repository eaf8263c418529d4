using System.CommandLine;

namespace Apkgen.BootCheck.Commands;

/// <summary><c>apkgen-bootcheck confirm</c>: the late check, after every service started (OpenRC <c>default</c> runlevel).</summary>
static class ConfirmHandler
{
    public static Command Command()
    {
        var cmd = new Command("confirm", "late check: run the health checks; mark the generation good, or demote it and reboot");
        cmd.SetAction(parse => Cli.Run(parse, (runner, _) => runner.Late()));
        return cmd;
    }
}
