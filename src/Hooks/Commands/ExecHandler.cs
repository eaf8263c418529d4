using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen exec [--from SLOT|ID] -- CMD ARGS...</c>: a non-interactive change as a new generation.</summary>
static class ExecHandler
{
    public static readonly Option<string?> From = new("--from") { Description = "base the change on this slot number or generation id" };
    public static readonly Option<double?> Wait = new("--wait") { Description = "fail after this many seconds if another apkgen run holds the lock (default: wait)" };

    public static Command Command(Composition composition)
    {
        var argv = new Argument<string[]>("command") { Description = "the command to run chrooted in the new snapshot", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("exec", "run a command in a new snapshot; commit it as a generation if it succeeds and changed something") { From, Wait, argv };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            var command = parse.GetValue(argv)!;
            return ChangeRunner.Run(ctx,
                new ChangeRequest(parse.GetValue(From), parse.GetValue(Wait), "exec " + string.Join(' ', command)),
                tx => tx.RunChrooted(command),
                tx => tx.TreeChanged());
        }));
        return cmd;
    }
}

/// <summary><c>apkgen shell</c>: the guide's sysmut, an interactive shell in a new snapshot; commit on exit 0.</summary>
static class ShellHandler
{
    public static Command Command(Composition composition)
    {
        var cmd = new Command("shell", "open a shell in a new snapshot; exit 0 commits it as a generation, any other exit discards it")
        {
            ExecHandler.From, ExecHandler.Wait,
        };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx => ChangeRunner.Run(ctx,
            new ChangeRequest(parse.GetValue(ExecHandler.From), parse.GetValue(ExecHandler.Wait), "shell"),
            tx =>
            {
                ctx.Say($"shell in the new snapshot {tx.Id} (based on {tx.Base.Id}); 'exit' commits, 'exit 1' discards");
                return tx.RunChrooted(["/bin/sh", "-l"], new Dictionary<string, string?> { ["PS1"] = "(apkgen) \\w # " });
            },
            tx => tx.TreeChanged())));
        return cmd;
    }
}
