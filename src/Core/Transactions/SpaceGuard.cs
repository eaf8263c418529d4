using Apkgen.Core.Layout;
using Apkgen.Core.Space;

namespace Apkgen.Core.Transactions;

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
        var top = session.Top.TopDirPath;
        var check = new SpaceCheck(ctx.Space.Usage(top), setting);
        if (check.Passes) return;
        // The space of deleted subvolumes (a discarded change, a gc) comes back only when the
        // cleaner has dropped them and a commit has unpinned their extents: seen in the Crash
        // suite, the change right after one discarded on a full disk read 1 MiB free. So
        // before refusing, let the cleaner finish and look again (only a refusal waits).
        ReleasePendingSpace(ctx, top);
        check = new SpaceCheck(ctx.Space.Usage(top), setting);
        if (check.Passes) return;
        // Read without the lock, as status does: the figure is an estimate anyway, and a change
        // in progress is kept by the plan.
        var state = session.Store.Read();
        var plan = GcPlan.Make(state, session.ReadBooted(state).GenerationId, ChangeInProgress.Find(state, ctx.FileLocks)?.GenerationId);
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

    /// <summary>
    /// Commits (BTRFS_IOC_SYNC, which also wakes the cleaner) until no deleted subvolume is
    /// left to drop, for at most 30 seconds, then commits once more so their extents are
    /// unpinned.
    /// </summary>
    static void ReleasePendingSpace(SystemContext ctx, string top)
    {
        var pending = ctx.Space.SubvolumesBeingDeleted(top);
        var until = DateTime.UtcNow.AddSeconds(30);
        if (pending > 0) ctx.Say($"waiting for btrfs to free the space of {pending} deleted subvolume(s)");
        while (pending > 0 && DateTime.UtcNow < until)
        {
            ctx.Btrfs.SyncAndClean(top);
            Thread.Sleep(100);
            pending = ctx.Space.SubvolumesBeingDeleted(top);
        }
        // Even with none left, a commit may still be due to unpin what the cleaner freed.
        ctx.Btrfs.SyncAndClean(top);
    }
}
