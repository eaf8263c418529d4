using System.Globalization;
using Apkgen.Core.Boot;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Auto;

/// <summary>
/// <c>apkgen auto-upgrade</c>: reads the facts under the global lock, decides
/// (<see cref="AutoUpgradePlan"/>), then carries the plan out: the check in a throwaway
/// snapshot, the stage through the same change path as <c>apk -U upgrade</c> through the
/// wrapper (passed in as <c>stage</c>, with the locked session), the stamp, the reboot. Every
/// line goes to standard output and to syslog.
/// </summary>
public sealed class AutoUpgradeRunner(SystemContext ctx, ISystemLog log)
{
    /// <summary>The apk arguments of a stage: what a user types for an upgrade.</summary>
    public static readonly IReadOnlyList<string> StageArguments = ["-U", "upgrade"];

    /// <summary>Runs once.</summary>
    /// <param name="forced"><c>--now</c>: the interval and the window do not apply.</param>
    /// <param name="dryRun"><c>--dry-run</c>: print the plan, do nothing.</param>
    /// <param name="stage">Runs <c>apk -U upgrade</c> as a change in the given locked session; returns its exit code.</param>
    public int Run(bool forced, bool dryRun, Func<Session, int> stage)
    {
        var config = ctx.Config.Auto;
        // Hourly with the default policy: decide before mounting anything, and say nothing.
        if (config.Policy == "none" && !forced && !dryRun) return 0;
        using var session = Session.Open(ctx);
        try
        {
            // Never wait: an hourly job that waits piles up behind a long change. The stamp is
            // not written, so the next hourly run does the work.
            session.Lock(waitSeconds: 0);
        }
        catch (ApkgenException e) when (e.ExitCode == ExitCodes.Busy)
        {
            Log(LogSeverity.Warning, "another apkgen run holds the lock: nothing done, the next hourly run tries again");
            return ExitCodes.Busy;
        }
        var state = session.Store.Read();
        var booted = session.ReadBooted(state);
        var stampPath = AutoUpgradeStamp.FilePath(session.Top);
        var stamp = File.Exists(stampPath) ? AutoUpgradeStamp.Parse(File.ReadAllText(stampPath)) : null;
        var now = ctx.Clock.UtcNow;
        var waiting = AutoUpgradePlan.WaitingGeneration(state, booted.GenerationId);
        var plan = AutoUpgradePlan.Make(new AutoUpgradeFacts(config, now, TimeOnly.FromDateTime(now + LocalOffset()), stamp?.LastRunUtc, waiting, forced));
        if (dryRun)
        {
            ctx.Out.Write(plan.Render());
            return 0;
        }
        Log(LogSeverity.Info, plan.Why);

        int code;
        string result;
        try
        {
            (code, result) = plan.Work switch
            {
                AutoUpgradeWork.Check => Check(session),
                AutoUpgradeWork.Stage => Stage(session, stage, waiting),
                _ => (0, plan.Why),
            };
        }
        catch (ApkgenException e)
        {
            Log(LogSeverity.Error, $"failed: {e.Message}; the next hourly run tries again");
            throw;
        }
        if (code != 0)
        {
            Log(LogSeverity.Error, $"{result}; the next hourly run tries again");
            return code;
        }
        if (plan.WriteStamp)
        {
            AtomicFile.Write(stampPath, new AutoUpgradeStamp(now, result).Render());
            if (plan.Work != AutoUpgradeWork.None) Log(LogSeverity.Info, result);
        }

        var after = plan.Work == AutoUpgradeWork.Stage ? AutoUpgradePlan.WaitingGeneration(session.Store.Read(), booted.GenerationId) : waiting;
        if (!plan.Reboot || after is null) return 0;
        return Reboot(session, after);
    }

    (int, string) Check(Session session)
    {
        var apk = ctx.Config.Apk.Path;
        // A throwaway snapshot of the base a change would use, with the commons mounted, in the
        // session already locked: apk update refreshes the indexes in /var/cache/apk (shared,
        // as the wrapper's apk update does), then --simulate reads; no generation is made.
        var baseId = "";
        ProcessResult? simulated = null;
        var update = UseCases.ChangeUseCase.RunThrowaway(ctx, tx =>
        {
            baseId = tx.Base.Id;
            var code = tx.Run(new ProcessSpec(apk, ["--root", tx.RootPath, "update", "--quiet"]));
            if (code != 0) return code;
            // Read only (--simulate takes no lock and writes nothing), so it needs no host-path check beyond tx.Run's above.
            simulated = ctx.Processes.RunCaptured(new ProcessSpec(apk, ["--root", tx.RootPath, "upgrade", "--simulate"]));
            return 0;
        }, CancellationToken.None, session);
        if (simulated is null)
            return (update.ChangeExitCode, $"check: apk update failed (exit code {update.ChangeExitCode})");
        if (simulated.ExitCode != 0)
            return (simulated.ExitCode, $"check: apk upgrade --simulate failed (exit code {simulated.ExitCode}): {simulated.StandardError.Trim()}");
        var steps = SimulatedUpgrade.Steps(simulated.StandardOutput);
        foreach (var s in steps) ctx.Out.WriteLine("apkgen auto-upgrade:   " + s);
        return (0, steps.Count == 0
            ? $"check: no upgrades for generation {baseId}"
            : $"check: {steps.Count} upgrade step(s) available for generation {baseId}: {string.Join(", ", steps)}");
    }

    (int, string) Stage(Session session, Func<Session, int> stage, string? waitingBefore)
    {
        var code = stage(session);
        if (code != 0) return (code, $"stage: apk -U upgrade failed (exit code {code}); current is unchanged");
        var after = AutoUpgradePlan.WaitingGeneration(session.Store.Read(), session.ReadBooted(session.Store.Read()).GenerationId);
        return after is not null && after != waitingBefore
            ? (0, $"stage: generation {after} staged by apk -U upgrade")
            : (0, "stage: nothing to upgrade, no new generation");
    }

    int Reboot(Session session, string id)
    {
        // BootNext may have been used or cleared since the stage (a stage outside the window
        // reboots hours later): arm it again so that this reboot is the one-shot trial. (When
        // arming fell back to counter mode, the generation is a pending slot 0 instead.)
        if (ctx.Config.Bootcheck.Mode == Configuration.BootcheckMode.Trial && session.Store.Read().Pending is not null)
            TrialArming.Arm(ctx, session, new Linux.Efibootmgr(ctx.Processes));
        // rEFInd reads only committed trees: everything is on disk before the reboot.
        ctx.Btrfs.SyncFs(session.Top.TopDirPath);
        Log(LogSeverity.Notice, $"rebooting into generation {id}" + (ctx.Config.Bootcheck.Mode == Configuration.BootcheckMode.Trial ? " (trial: a failed boot returns to the current one)" : ""));
        ctx.Out.Flush();
        var code = ctx.Processes.RunInteractive(new ProcessSpec("reboot", []));
        if (code != 0) Log(LogSeverity.Error, $"reboot exited with {code}: generation {id} waits for the next reboot");
        return code == 0 ? 0 : ExitCodes.Failure;
    }

    /// <summary>
    /// The machine's UTC offset now, from <c>date +%z</c>: apkgen is built with invariant time
    /// zones (no tzdata in the binary), and musl's date reads TZ and /etc/localtime as crond does.
    /// </summary>
    TimeSpan LocalOffset()
    {
        try
        {
            var r = ctx.Processes.RunCaptured(new ProcessSpec("date", ["+%z"]));
            var z = r.StandardOutput.Trim();
            if (r.ExitCode == 0 && z.Length == 5 && (z[0] is '+' or '-')
                && int.TryParse(z.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
                && int.TryParse(z.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
                return (z[0] == '-' ? -1 : 1) * new TimeSpan(h, m, 0);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
        Log(LogSeverity.Warning, "cannot read the local time zone (date +%z); the window is taken as UTC");
        return TimeSpan.Zero;
    }

    void Log(LogSeverity severity, string message)
    {
        ctx.Out.WriteLine("apkgen auto-upgrade: " + message);
        log.Write(severity, "auto-upgrade: " + message);
    }
}
