using System.CommandLine;

namespace Apkgen.BootCheck.Commands;

/// <summary><c>apkgen-bootcheck mark-good ID</c> and <c>mark-bad ID [--reason TEXT]</c>: boot states by hand.</summary>
static class MarkHandler
{
    public static Command Command(bool good)
    {
        var id = new Argument<string>("id") { Description = "the generation (see 'apkgen list')" };
        if (good)
        {
            var cmd = new Command("mark-good", "mark a generation good (it stops counting boot attempts)") { id };
            cmd.SetAction(parse => Cli.Run(parse, (runner, _) => runner.MarkGood(parse.GetValue(id)!)));
            return cmd;
        }
        var reason = new Option<string?>("--reason") { Description = "why, shown by status and list" };
        var bad = new Command("mark-bad", "mark a generation bad; out of slot 0 if it is there, and its trial dropped (no reboot)") { id, reason };
        bad.SetAction(parse => Cli.Run(parse, (runner, _) => runner.MarkBad(parse.GetValue(id)!, parse.GetValue(reason))));
        return bad;
    }
}
