using System.CommandLine;

namespace Apkgen.BootCheck.Commands;

/// <summary><c>apkgen-bootcheck boot</c>: the early check, at every boot (OpenRC <c>boot</c> runlevel).</summary>
static class BootHandler
{
    public static Command Command()
    {
        var cmd = new Command("boot", "early check: count a boot attempt of a pending generation, demote it when none is left, notice a failed trial");
        cmd.SetAction(parse => Cli.Run(parse, (runner, _) => runner.Early()));
        return cmd;
    }
}
