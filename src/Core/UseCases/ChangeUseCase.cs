using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary>
/// A change as a new generation (DESIGN, "A transaction"): exec, shell and the apk wrapper's
/// add/del/upgrade/fix. <see cref="Run"/> is DESIGN's nine-step runbook, top to bottom, each
/// stage a call; the <see cref="Transaction"/> undoes itself unless published, so a failure,
/// an exception, an interruption or a change that altered nothing never changes <c>current</c>.
/// </summary>
public static class ChangeUseCase
{
    /// <summary>Runs one change and commits it when it succeeded and changed something.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="request">The options.</param>
    /// <param name="change">Stage 5: runs the change in the transaction, returning its exit code.</param>
    /// <param name="changed">Whether the change altered the generation (apk's database, or the tree).</param>
    /// <param name="switched">Told after the switch, with the new layout (apkgen's switch marker).</param>
    /// <param name="cancel">Cancelled by a stop signal: the change is discarded at the next safe point.</param>
    /// <param name="openSession">A session the caller opened and already locked (auto-upgrade decides under the
    /// lock the change then holds; <see cref="Session.Lock"/> is then a no-op); null: open one here.</param>
    public static ChangeResult Run(SystemContext ctx, ChangeRequest request, Func<Transaction, int> change, Func<Transaction, bool> changed,
        Action<LayoutState>? switched, CancellationToken cancel, Session? openSession = null)
    {
        using var owned = openSession is null ? Session.Open(ctx) : null;
        var session = openSession ?? owned!;
        // 0. Enough free space on the btrfs ([change] min_free), before the lock: a change
        //    that waits for the lock is judged by the figure read before it waited.
        SpaceGuard.Require(ctx, session);
        // 1. The global lock: one transaction or gc at a time.
        session.Lock(request.WaitSeconds, cancel);
        // 2. The top level is mounted privately (the session). The layout is read here, once,
        //    under the lock: before it another run may still switch; after it only this one
        //    writes, so every later view of the layout is computed (LayoutChanges), not read.
        var state = session.Store.Read();
        var booted = session.ReadBooted(state);
        // 3. The base.
        var baseChoice = BaseSelector.Choose(state, booted.GenerationId, request.From);
        if (baseChoice.Note is not null) ctx.Say(baseChoice.Note);
        // 4. Snapshot base -> snapshots/<new>/@ (rw), etc/fstab, the mounts inside it.
        using var tx = Transaction.Begin(ctx, session, baseChoice, request.TrackTreeChanges, cancel);
        // 5. The change, with the terminal passed through.
        var code = change(tx);
        // 6. Discarded (unmounted, snapshot deleted, by disposing) on interruption, failure or no change.
        if (cancel.IsCancellationRequested) return Discard(tx, ChangeOutcome.Interrupted, code);
        if (code != 0)
        {
            tx.Dispose();
            ctx.Say($"the change failed (exit code {code}): generation {tx.Id} discarded; current is unchanged");
            return new ChangeResult(ChangeOutcome.Failed, code, tx.Id);
        }
        if (!changed(tx))
        {
            tx.Dispose();
            ctx.Say("the change altered nothing: no new generation");
            return new ChangeResult(ChangeOutcome.NoChange, 0, tx.Id);
        }
        tx.Unmount();
        // 7. generation.ini (pending), read-only, the links directory: slot 0 the new one.
        var generation = tx.Seal(request.Command);
        var trial = ctx.Config.Bootcheck.Mode == Configuration.BootcheckMode.Trial;
        var linkName = trial ? LayoutLink.Pending : LayoutLink.Current;
        var previous = trial && state.Pending is not null ? state.Pending : state.Current;
        var slots = LinksPlanner.Promote(tx.Id, previous.Slots, ctx.Config.Layout.Links);
        // 8. syncfs, rename over current (pending in trial mode), syncfs.
        var links = tx.Publish(linkName, slots);
        var after = LayoutChanges.Committed(state, generation, linkName, links);
        Report(ctx, state, after, tx);
        // Trial mode arms BootNext, or falls back to counter mode (pending becomes current).
        var armed = trial && Arm(ctx, session, booted, switched, ref after);
        // 9. The boot menu, gc, the switch marker: once, with the layout as it now is.
        AfterLayoutChange.Run(ctx, session, after, booted.GenerationId, new(ctx.Say, ctx.Config.Gc.Auto, switched));
        ctx.Say(armed
            ? "reboot to try it once (trial mode); it becomes current when it boots well"
            // Counter mode, or a trial that fell back to it (no efivars, no managed rEFInd).
            : "it is in slot 0; reboot to use it");
        return new ChangeResult(ChangeOutcome.Committed, 0, tx.Id);
    }

    /// <summary>
    /// Arms the trial before the menu is written, so that the menu and gc run once, for the
    /// layout the arming leaves (a fallback makes pending current). BootNext names trial.conf,
    /// whose entries go through /pending: one written by an earlier trial boots this one too.
    /// </summary>
    static bool Arm(SystemContext ctx, Session session, Booted booted, Action<LayoutState>? switched, ref LayoutState after)
    {
        ArmOutcome outcome;
        try
        {
            outcome = TrialArming.Arm(ctx, session, new Linux.Efibootmgr(ctx.Processes));
        }
        catch (ApkgenException)
        {
            // Not bootable: pending was dropped and the generation marked bad. The menu loses
            // the trial; gc waits for the next run, so the bad generation stays for inspection.
            AfterLayoutChange.Run(ctx, session, LayoutChanges.WithoutPending(after), booted.GenerationId, new(ctx.Say, Gc: false, switched));
            throw;
        }
        if (outcome == ArmOutcome.FellBackToCounter)
            after = LayoutChanges.WithoutPending(LayoutChanges.Switched(after, LayoutLink.Current, after.Pending!));
        return outcome == ArmOutcome.Armed;
    }

    /// <summary>
    /// apk update and apk cache: the change runs in a throwaway snapshot of the base a real
    /// change would use, and is always discarded. Returns the change's exit code, or
    /// <see cref="ChangeOutcome.Interrupted"/>.
    /// </summary>
    /// <param name="ctx">The system.</param>
    /// <param name="change">Runs in the throwaway snapshot, returning its exit code.</param>
    /// <param name="cancel">Cancelled by a stop signal.</param>
    /// <param name="openSession">A session the caller opened and already locked (auto-upgrade's check, as in
    /// <see cref="Run"/>); null: open one here.</param>
    public static ChangeResult RunThrowaway(SystemContext ctx, Func<Transaction, int> change, CancellationToken cancel, Session? openSession = null)
    {
        using var owned = openSession is null ? Session.Open(ctx) : null;
        var session = openSession ?? owned!;
        session.Lock(null, cancel);
        var state = session.Store.Read();
        var baseChoice = BaseSelector.Choose(state, session.ReadBooted(state).GenerationId, null);
        if (baseChoice.Note is not null) ctx.Say(baseChoice.Note);
        using var tx = Transaction.Begin(ctx, session, baseChoice, trackTreeChanges: false, cancel);
        var code = change(tx);
        tx.Dispose();
        return new ChangeResult(cancel.IsCancellationRequested ? ChangeOutcome.Interrupted : ChangeOutcome.Failed, code, tx.Id);
    }

    static ChangeResult Discard(Transaction tx, ChangeOutcome outcome, int code)
    {
        tx.Dispose();
        return new ChangeResult(outcome, code, tx.Id);
    }

    /// <summary>What changed: packages, world, kernels against the parent.</summary>
    static void Report(SystemContext ctx, LayoutState before, LayoutState after, Transaction tx)
    {
        var g = after.Find(tx.Id)!;
        var parent = before.Find(tx.Base.Id);
        ctx.Say($"new generation {g.Id} (from {tx.Base.Id}): {g.Info.Packages.Summary()}");
        if (g.Info.WorldAdded.Count + g.Info.WorldRemoved.Count > 0)
            ctx.Say($"world: {string.Join(' ', g.Info.WorldAdded.Select(w => "+" + w).Concat(g.Info.WorldRemoved.Select(w => "-" + w)))}");
        var parentKernels = parent is null ? []
            : parent.HasMetadata ? parent.Info.Kernels
            : Linux.SnapshotContents.DiscoverKernels(before.Top.RootSubvolumePath(parent.Id), Linux.SnapshotContents.ReadInstalled(before.Top.RootSubvolumePath(parent.Id)));
        foreach (var k in g.Info.Kernels)
        {
            var name = k.Flavor.Length == 0 ? "kernel" : $"kernel {k.Flavor}";
            var old = parentKernels.Where(x => x.Flavor == k.Flavor).Select(x => (KernelInfo?)x).FirstOrDefault();
            if (old is null) ctx.Say($"{name} {k.Version} added");
            else if (old.Value.Version != k.Version) ctx.Say($"{name}: {old.Value.Version} -> {k.Version}");
        }
        foreach (var k in parentKernels.Where(p => g.Info.Kernels.All(x => x.Flavor != p.Flavor)))
            ctx.Say($"{(k.Flavor.Length == 0 ? "kernel" : $"kernel {k.Flavor}")} {k.Version} removed");
        // Protected files apk did not overwrite: their new versions wait beside them in the snapshot.
        foreach (var line in ApkNewFiles.Report(g.Info.ApkNew)) ctx.Say(line);
    }
}
