using Apkgen.Generations.Layout;
using Apkgen.Generations.Space;

namespace Apkgen.Generations.Transactions;

/// <summary>
/// Refuses a change before its snapshot is made when less than <c>[change] min_free</c> is
/// free (issue 17, part 4). The check is three ioctls (bench/run, section space); only a
/// refusal reads the layout and measures what gc would free.
/// </summary>
public static class SpaceGuard
{
    /// <summary>Throws <see cref="ApkgenException"/> (<see cref="ExitCodes.BelowMinFree"/>) when the check fails.</summary>
    public static void Require(SystemContext ctx, Session session)
    {
        var setting = ctx.Config.Change.MinFree;
        if (setting.IsOff) return;
        var check = new SpaceCheck(ctx.Space.Usage(session.Top.TopDirPath), setting);
        if (check.Passes) return;
        // Read without the lock, as status does: the figure is an estimate anyway, and a change
        // in progress is kept by the plan.
        var state = session.Store.Read();
        var plan = GcPlan.Make(state, session.ReadBooted(state).GenerationId, ChangeInProgress.Find(state)?.GenerationId);
        GenerationSizes? sizes = null;
        try
        {
            if (plan.DeleteGenerations.Count > 0)
                sizes = GenerationSizes.Measure(ctx.Btrfs, ctx.Space, session.Top, plan.DeleteGenerations);
        }
        catch (IOException e)
        {
            ctx.Say($"warning: could not measure what gc would free ({e.Message})");
        }
        throw new ApkgenException(check.Refusal(),
            SpaceCheck.Remedy(sizes?.Total(plan.DeleteGenerations), plan.DeleteGenerations.Count, sizes), ExitCodes.BelowMinFree);
    }
}
