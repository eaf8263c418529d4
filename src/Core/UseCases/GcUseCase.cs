using Apkgen.Core.Layout;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary><c>apkgen gc [--dry-run]</c>: delete generations and links directories nothing uses (the guide's syscln, made safe).</summary>
public static class GcUseCase
{
    /// <summary>Plans under the lock, shows the plan, and carries it out unless <paramref name="dryRun"/>.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="waitSeconds">--wait for the lock.</param>
    /// <param name="dryRun">Only show the plan.</param>
    /// <param name="show">Renders the plan (and warnings about the layout) before anything is deleted.</param>
    /// <param name="cancel">Cancelled by a stop signal while waiting for the lock.</param>
    public static GcPlan Run(SystemContext ctx, double? waitSeconds, bool dryRun, Action<Session, LayoutState, GcPlan> show, CancellationToken cancel)
    {
        using var session = Session.Open(ctx);
        // Under the lock: a transaction being built is never visible to gc.
        session.Lock(waitSeconds, cancel);
        var state = session.Store.Read();
        var plan = GcPlan.Make(state, session.ReadBooted(state).GenerationId);
        show(session, state, plan);
        if (!dryRun && !plan.IsEmpty) GarbageCollector.Run(ctx, session.Store, plan);
        return plan;
    }
}
