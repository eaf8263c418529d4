namespace Apkgen.Core.Auto;

/// <summary>
/// The decision of one <c>apkgen auto-upgrade</c> run, made before anything is touched
/// (apkgen.conf(5), [auto]). It runs hourly, so the last-run stamp and the interval decide
/// whether the check or stage is due: a run missed while the machine was off happens at the
/// first hourly run after it comes back (busybox crond does not catch up by itself).
/// </summary>
/// <param name="Work">The check or stage to do, or none.</param>
/// <param name="Reboot">Reboot after the work if a staged generation then waits for its first boot (policy reboot, inside the window).</param>
/// <param name="WriteStamp">Record this run as the last one (a due run was decided, whatever it found).</param>
/// <param name="Why">One line for the log: why this plan.</param>
public sealed record AutoUpgradePlan(AutoUpgradeWork Work, bool Reboot, bool WriteStamp, string Why)
{
    /// <summary>Decides.</summary>
    public static AutoUpgradePlan Make(AutoUpgradeFacts f)
    {
        var c = f.Config;
        if (c.Policy == "none")
            return new(AutoUpgradeWork.None, false, false, "policy none: unattended upgrades are off ([auto] policy in apkgen.conf)");

        var due = f.Forced || f.LastRunUtc is not { } last || last > f.NowUtc || f.NowUtc - last >= c.Interval;
        var inWindow = f.Forced || c.Window.Contains(f.LocalTimeOfDay);
        var reboot = c.Policy == "reboot" && inWindow;
        var when = f.Forced ? "--now" : f.LastRunUtc is { } l
            ? $"last run {Stamp(l)}, interval {Describe(c.Interval)}"
            : "no run recorded yet";
        var rebootNote = c.Policy != "reboot" ? ""
            : reboot ? $"; inside the window {c.Window}: reboot if a staged generation waits"
            : $"; outside the window {c.Window}: no reboot now";

        if (!due)
        {
            var next = f.LastRunUtc!.Value + c.Interval;
            return new(AutoUpgradeWork.None, reboot && f.Waiting is not null, false,
                $"not due ({when}; next at {Stamp(next)})"
                + (f.Waiting is not null ? $"; generation {f.Waiting} waits for its first boot" + rebootNote : ""));
        }
        if (c.Policy == "check")
            return new(AutoUpgradeWork.Check, false, true, $"policy check, due ({when})");
        if (f.Waiting is not null && !c.Stack)
            return new(AutoUpgradeWork.None, reboot, true,
                $"policy {c.Policy}, due ({when}), but generation {f.Waiting} is staged and not booted yet: not stacking on it ([auto] stack = no)" + rebootNote);
        return new(AutoUpgradeWork.Stage, reboot, true,
            $"policy {c.Policy}, due ({when})" + (f.Waiting is not null ? $"; stacking on {f.Waiting}, not booted yet ([auto] stack = yes)" : "") + rebootNote);
    }

    /// <summary>
    /// The committed generation the next boot tries that has not been booted yet: in trial
    /// mode slot 0 of <c>pending</c>; otherwise a pending slot 0 of <c>current</c> that is not
    /// the running generation. Null when there is none.
    /// </summary>
    public static string? WaitingGeneration(Layout.LayoutState state, string? bootedId)
    {
        if (state.Pending?.Slots[0] is { } trial && trial != bootedId) return trial;
        return state.Current.Slots[0] is { } slot0 && slot0 != bootedId && state.Find(slot0)?.State == Model.BootState.Pending ? slot0 : null;
    }

    static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    static string Describe(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays:0}d"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours:0}h"
        : $"{t.TotalMinutes:0}m";

    /// <summary>The plan as text (for <c>--dry-run</c> and the tests).</summary>
    public string Render() =>
        $"work: {Work.ToString().ToLowerInvariant()}\nreboot: {(Reboot ? "if a staged generation waits" : "no")}\nstamp: {(WriteStamp ? "yes" : "no")}\nwhy: {Why}\n";
}
