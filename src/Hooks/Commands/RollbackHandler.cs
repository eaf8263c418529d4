using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen rollback [SLOT]</c>: promote a fallback slot to slot 0 without rebuilding anything (<see cref="RollbackUseCase"/>).</summary>
static class RollbackHandler
{
    public static Command Command(Composition composition)
    {
        var slot = new Argument<int>("slot") { Description = "the slot to promote to slot 0 (default 1)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("rollback", "make a fallback slot the default (slot 0); the others shift down") { slot, ExecHandler.Wait };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            Cli.RequireRoot();
            RollbackUseCase.Run(ctx, parse.GetValue(slot), parse.GetValue(ExecHandler.Wait), ChangeRunner.MarkSwitch(ctx), Interruption.Token);
            return 0;
        }));
        return cmd;
    }
}
