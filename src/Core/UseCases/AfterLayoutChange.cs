using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Refind;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary>
/// The one step after <c>current</c> or <c>pending</c> changed, whoever changed it (a
/// commit, a rollback, init, a demotion, a trial's promotion or failure, a trial that fell
/// back to counter mode): tell the composition (apkgen's switch marker), rewrite the boot
/// menu, keep the reboot-required file true, and run gc when asked. Run once per change of the layout, with the layout as it
/// now is.
/// </summary>
public static class AfterLayoutChange
{
    /// <summary>Runs the step.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="session">The open session, still locked.</param>
    /// <param name="state">The layout as it now is.</param>
    /// <param name="bootedId">The booted generation (gc never deletes it), or null.</param>
    /// <param name="options">What to do besides the menu, and how to speak.</param>
    public static void Run(SystemContext ctx, Session session, LayoutState state, string? bootedId, AfterLayoutChangeOptions options)
    {
        options.Switched?.Invoke(state);
        // /run/apkgen/reboot-required exists exactly while the next boot is not the running generation.
        RebootRequired.Refresh(ctx, session, state, options.Say);
        RefreshMenu(ctx, state, options.Say);
        if (options.Gc)
        {
            var plan = GcPlan.Make(state, bootedId);
            if (!plan.IsEmpty)
            {
                GarbageCollector.Run(ctx, session.Store, plan);
                if (plan.AfterSwitchSummary() is { } summary) options.Say(summary);
            }
        }
    }

    /// <summary>
    /// Rewrites the rEFInd stanzas (and trial.conf) when [refind] output is set. The switch
    /// has already happened and the menu's paths go through /current and /pending, so a
    /// failure here (at the early boot check the ESP is often not mounted yet) leaves a
    /// bootable system with stale labels: warn, never undo.
    /// </summary>
    static void RefreshMenu(SystemContext ctx, LayoutState state, Action<string> say)
    {
        try
        {
            foreach (var path in RefindWriter.Refresh(ctx, state))
                say($"boot menu updated: {path}");
        }
        catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException)
        {
            say($"warning: the boot menu was not updated ({e.Message}); run 'apkgen-refind'");
        }
    }
}
