using System.CommandLine;

namespace Apkgen.BootCheck.Commands;

/// <summary><c>apkgen-bootcheck status</c>: boot states, the trial, the checks and the recent events.</summary>
static class StatusHandler
{
    public static Command Command()
    {
        var events = new Option<int>("--events", "-n") { Description = "how many recent events to show", DefaultValueFactory = _ => 10 };
        var cmd = new Command("status", "show the booted generation's boot state, a pending trial, the health checks and recent events") { events };
        cmd.SetAction(parse => Cli.Run(parse, (runner, _) => runner.Status(Math.Max(0, parse.GetValue(events)))));
        return cmd;
    }
}
