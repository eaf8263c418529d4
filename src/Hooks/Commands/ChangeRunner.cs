using Apkgen.Generations;
using Apkgen.Generations.Boot;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Linux;
using Apkgen.Generations.Model;
using Apkgen.Generations.Refind;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// The transaction runbook shared by exec, shell and the apk wrapper: begin, run the
/// change, then discard (failure, interruption, no change) or commit and report.
/// </summary>
static class ChangeRunner
{
    /// <summary>Options every change takes.</summary>
    public sealed record ChangeOptions(string? From, double? WaitSeconds, string Command, bool TrackTreeChanges = true);

    public static int Run(SystemContext ctx, ChangeOptions options, Func<Transaction, int> change, Func<Transaction, bool> changed)
    {
        Cli.RequireRoot();
        using var session = Session.Open(ctx);
        using var tx = Transaction.Begin(ctx, session, options.From, options.WaitSeconds, options.TrackTreeChanges);
        var code = change(tx);
        if (Interruption.Requested)
        {
            tx.Discard();
            ctx.Say($"interrupted (signal {Interruption.Signal}): generation {tx.Id} discarded; nothing changed");
            return 128 + Interruption.Signal;
        }
        if (code != 0)
        {
            tx.Discard();
            ctx.Say($"the change failed (exit code {code}): generation {tx.Id} discarded; current is unchanged");
            return code;
        }
        if (!changed(tx))
        {
            tx.Discard();
            ctx.Say("the change altered nothing: no new generation");
            return 0;
        }
        var trial = ctx.Config.Bootcheck.Mode == Generations.Configuration.BootcheckMode.Trial;
        var state = tx.Commit(options.Command, trial);
        Report(ctx, state, tx);
        AfterSwitch.Run(ctx, session, state);
        if (trial && TrialArming.Arm(ctx, session, new Efibootmgr(ctx.Processes)) == ArmOutcome.Armed)
            ctx.Say("reboot to try it once (trial mode); it becomes current when it boots well");
        else
        {
            // Counter mode, or a trial that fell back to it (no efivars, no managed rEFInd).
            if (trial) AfterSwitch.Run(ctx, session, session.Store.Read());
            ctx.Say("it is in slot 0; reboot to use it");
        }
        return 0;
    }

    static void Report(SystemContext ctx, LayoutState state, Transaction tx)
    {
        var g = state.Find(tx.Id)!;
        var parent = state.Find(tx.Base.Id);
        ctx.Say($"new generation {g.Id} (from {tx.Base.Id}): {g.Info.Packages.Summary()}");
        if (g.Info.WorldAdded.Count + g.Info.WorldRemoved.Count > 0)
            ctx.Say($"world: {string.Join(' ', g.Info.WorldAdded.Select(w => "+" + w).Concat(g.Info.WorldRemoved.Select(w => "-" + w)))}");
        var parentKernels = parent is null ? []
            : parent.HasMetadata ? parent.Info.Kernels
            : SnapshotContents.DiscoverKernels(state.Top.RootSubvolumePath(parent.Id), SnapshotContents.ReadInstalled(state.Top.RootSubvolumePath(parent.Id)));
        foreach (var k in g.Info.Kernels)
        {
            var name = k.Flavor.Length == 0 ? "kernel" : $"kernel {k.Flavor}";
            var old = parentKernels.Where(x => x.Flavor == k.Flavor).Select(x => (KernelInfo?)x).FirstOrDefault();
            if (old is null) ctx.Say($"{name} {k.Version} added");
            else if (old.Value.Version != k.Version) ctx.Say($"{name}: {old.Value.Version} -> {k.Version}");
        }
        foreach (var k in parentKernels.Where(p => g.Info.Kernels.All(x => x.Flavor != p.Flavor)))
            ctx.Say($"{(k.Flavor.Length == 0 ? "kernel" : $"kernel {k.Flavor}")} {k.Version} removed");
    }
}

/// <summary>What follows every switch of current: the boot menu, and gc when [gc] auto is on.</summary>
static class AfterSwitch
{
    public static void Run(SystemContext ctx, Session session, LayoutState state)
    {
        SwitchMarker.Write(ctx.Config.Layout.Device ?? "", state.Current.Slots[0] ?? "", ctx.Say);
        RefreshMenu(ctx, state);
        if (ctx.Config.Gc.Auto)
        {
            var plan = GcPlan.Make(state, session.ReadBooted(state).GenerationId);
            if (!plan.IsEmpty)
            {
                GarbageCollector.Run(ctx, session.Store, plan);
                if (plan.AfterSwitchSummary() is { } summary) ctx.Say(summary);
            }
        }
    }

    /// <summary>
    /// Rewrites the rEFInd stanzas when [refind] output is set. The switch has already
    /// happened and the menu's paths go through /current, so a failure here leaves a
    /// bootable system with stale labels: warn, never undo the commit.
    /// </summary>
    static void RefreshMenu(SystemContext ctx, LayoutState state)
    {
        try
        {
            foreach (var path in RefindWriter.Refresh(ctx, state))
                ctx.Say($"boot menu updated: {path}");
        }
        catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException)
        {
            ctx.Say($"warning: the boot menu was not updated ({e.Message}); run 'apkgen-refind'");
        }
    }
}
