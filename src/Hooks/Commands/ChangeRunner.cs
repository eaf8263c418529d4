using Apkgen.Core;
using Apkgen.Core.Layout;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// What exec, shell and the apk wrapper share around <see cref="ChangeUseCase"/>: the root
/// check, the stop signal's token and the switch marker in, the exit code out.
/// </summary>
static class ChangeRunner
{
    /// <param name="openSession">A session the caller opened and locked (auto-upgrade decides under the lock the change then holds); null: the use case opens one.</param>
    public static int Run(SystemContext ctx, ChangeRequest request, Func<Transaction, int> change, Func<Transaction, bool> changed, Session? openSession = null)
    {
        Cli.RequireRoot();
        return Render(ctx, ChangeUseCase.Run(ctx, request, change, changed, MarkSwitch(ctx), Interruption.Token, openSession));
    }

    /// <summary>apk update and apk cache: a throwaway snapshot, never committed.</summary>
    public static int RunThrowaway(SystemContext ctx, Func<Transaction, int> change)
    {
        Cli.RequireRoot();
        var result = ChangeUseCase.RunThrowaway(ctx, change, Interruption.Token);
        return result.Outcome == ChangeOutcome.Interrupted ? Interruption.ExitCodeFor(Interruption.Signal) : result.ChangeExitCode;
    }

    /// <summary>Records every switch of current for the apk wrapper's read-only applets (<see cref="SwitchMarker"/>).</summary>
    public static Action<LayoutState> MarkSwitch(SystemContext ctx) =>
        state => SwitchMarker.Write(ctx.Config.Layout.Device ?? "", state.Current.Slots[0] ?? "", ctx.Say);

    static int Render(SystemContext ctx, ChangeResult result)
    {
        switch (result.Outcome)
        {
            case ChangeOutcome.Interrupted:
                ctx.Say($"interrupted (signal {Interruption.Signal}): generation {result.GenerationId} discarded; nothing changed");
                return Interruption.ExitCodeFor(Interruption.Signal);
            case ChangeOutcome.Failed:
                return result.ChangeExitCode;
            default:
                return 0;
        }
    }
}
