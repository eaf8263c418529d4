using Apkgen.Core.Layout;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary><c>apkgen rollback [SLOT]</c>: promote a fallback slot to slot 0 without rebuilding anything.</summary>
public static class RollbackUseCase
{
    /// <summary>Decides with <see cref="RollbackPlan"/>, then publishes the new links and runs the after-step.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="slot">The slot to promote.</param>
    /// <param name="waitSeconds">--wait for the lock.</param>
    /// <param name="switched">Told after the switch, with the new layout.</param>
    /// <param name="cancel">Cancelled by a stop signal while waiting for the lock.</param>
    public static RollbackPlan Run(SystemContext ctx, int slot, double? waitSeconds, Action<LayoutState>? switched, CancellationToken cancel)
    {
        using var session = Session.Open(ctx);
        session.Lock(waitSeconds, cancel);
        var state = session.Store.Read();
        var plan = RollbackPlan.Make(state, slot, ctx.Config.Layout.Links);
        if (plan.Slots is null)
        {
            ctx.Say($"slot {slot} holds {plan.GenerationId}, which is already in slot 0: nothing to do");
            return plan;
        }
        var after = LayoutChanges.Switched(state, LayoutLink.Current, session.Store.Publish(LayoutLink.Current, plan.Slots, ctx.NewId()));
        if (plan.DropPending)
        {
            session.Store.RemovePending();
            after = LayoutChanges.WithoutPending(after);
            ctx.Say("dropped the pending trial generation");
        }
        ctx.Say($"rolled back: {plan.GenerationId} is in slot 0 (was slot {slot}); reboot to use it");
        AfterLayoutChange.Run(ctx, session, after, session.ReadBooted(state).GenerationId, new(ctx.Say, ctx.Config.Gc.Auto, switched));
        return plan;
    }
}
