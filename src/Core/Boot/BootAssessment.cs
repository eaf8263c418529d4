using System.Globalization;
using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Boot;

/// <summary>
/// The pure rules of boot assessment (DESIGN, "Boot assessment"; apkgen-bootcheck(8)).
/// <see cref="Early"/> runs at the start of every boot, <see cref="Late"/> after every
/// service started. They return plans; <see cref="BootRunner"/> applies them.
/// <para>
/// Counter mode: a pending generation booted from slot 0 spends one attempt per boot; a boot
/// with none left demotes it. Trial mode: <c>pending</c> is booted once through BootNext; a
/// later boot of anything else means the trial failed. A generation booted from a fallback
/// slot by hand is never demoted, and the only generation is never demoted into nothing.
/// </para>
/// </summary>
public static class BootAssessment
{
    /// <summary>The early check: count the attempt, or notice a failed trial.</summary>
    public static BootPlan Early(BootFacts f)
    {
        if (f.Booted.GenerationId is not { } id)
            return BootPlan.Nothing("the running root is not a generation of this layout: nothing to assess");
        var steps = new List<BootStep>();
        var say = new List<string>();

        if (f.State.Pending is { } pending && pending.Slots[0] is { } trialId)
        {
            if (IsTrialBoot(f, pending))
            {
                say.Add($"trial boot of {trialId}: the late check decides whether it becomes current");
                return new BootPlan(steps, say);
            }
            if (f.State.Find(trialId) is { } tg && f.BootedAt is { } bootedAt && tg.Info.Created is { } created && created > bootedAt)
                say.Add($"pending {trialId} was committed during this boot: it has not been tried yet");
            else
            {
                var reason = $"its trial boot did not come up (this boot runs {id})";
                steps.Add(new SetBootState(trialId, BootState.Bad, reason));
                steps.Add(new DropPending());
                steps.Add(new RefreshBootMenu());
                steps.Add(new RecordEvent($"trial of {trialId} failed: {reason}; it is marked bad, current is unchanged", Notify: true));
            }
        }

        var g = f.State.Find(id)!;
        if (g.State != BootState.Pending)
        {
            say.Add($"{id} is {Word(g.State)}: nothing to count");
            return new BootPlan(steps, say);
        }
        if (FallbackSlot(f, id) is { } slotNote)
        {
            say.Add($"{id} is pending but was booted {slotNote} by hand: no attempt is counted");
            return new BootPlan(steps, say);
        }
        var left = g.Info.AttemptsLeft;
        if (left > 0)
        {
            steps.Insert(0, new SpendAttempt(id, left - 1));
            say.Add($"{id} is pending: boot attempt {f.Config.Attempts - left + 1} of {f.Config.Attempts}" +
                    (left - 1 == 0 ? " (the last one)" : ""));
            return new BootPlan(steps, say);
        }
        var why = $"no boot attempt left: {f.Config.Attempts} boot(s) did not pass the health checks";
        Demote(f, id, why, steps, say);
        return new BootPlan(steps, say);
    }

    /// <summary>True when the late check has to run the health checks for the booted generation.</summary>
    public static bool NeedsHealthChecks(BootFacts f) =>
        f.Booted.GenerationId is { } id && f.State.Find(id) is { } g
        && (g.State == BootState.Pending || (f.State.Pending is { } p && IsTrialBoot(f, p)));

    /// <summary>The late check: the health checks decide (see <see cref="NeedsHealthChecks"/>).</summary>
    public static BootPlan Late(BootFacts f, HealthReport health)
    {
        if (!NeedsHealthChecks(f))
            return BootPlan.Nothing(f.Booted.GenerationId is { } b
                ? $"{b} is {Word(f.State.Find(b)!.State)}: no health checks to run"
                : "the running root is not a generation of this layout: nothing to assess");
        var id = f.Booted.GenerationId!;
        var steps = new List<BootStep>();
        var say = new List<string>();
        var trial = f.State.Pending is { } p && IsTrialBoot(f, p);
        var checks = health.Results.Count == 1 ? "1 health check" : $"{health.Results.Count} health checks";
        var passed = health.Results.Count == 0 ? "reached the late check (no health checks configured)" : $"passed {checks}";
        var passedTrial = health.Results.Count == 0 ? "passed its trial boot (no health checks configured)" : $"passed its trial boot and {checks}";

        if (health.Passed)
        {
            if (trial)
            {
                steps.Add(new PromotePending(f.State.Pending!.Id));
                steps.Add(new DropPending());
                steps.Add(new SetBootState(id, BootState.Good, passedTrial));
                steps.Add(new RefreshBootMenu());
                steps.Add(new RecordEvent($"{id} {passedTrial}: it is current now", Notify: false));
            }
            else
            {
                steps.Add(new SetBootState(id, BootState.Good, passed));
                steps.Add(new RecordEvent($"{id} {passed}: marked good", Notify: false));
            }
            return new BootPlan(steps, say);
        }

        var failure = health.FirstFailure!.Describe();
        if (!trial && FallbackSlot(f, id) is { } slotNote)
        {
            steps.Add(new RecordEvent($"{id} (booted {slotNote} by hand) failed: {failure}; not demoted for that", Notify: true));
            return new BootPlan(steps, say);
        }
        if (f.Config.OnFailure == HealthFailureAction.Warn)
        {
            steps.Add(new RecordEvent($"{id} failed: {failure}; [bootcheck] on_failure = warn: it stays {(trial ? "pending (the next normal boot ends the trial)" : "pending")}", Notify: true));
            return new BootPlan(steps, say);
        }
        if (trial)
        {
            steps.Add(new SetBootState(id, BootState.Bad, failure));
            steps.Add(new DropPending());
            steps.Add(new RefreshBootMenu());
            steps.Add(new RecordEvent($"trial of {id} failed: {failure}; it is marked bad, rebooting into current", Notify: true));
            steps.Add(new Reboot($"the trial of {id} failed"));
            return new BootPlan(steps, say);
        }
        Demote(f, id, failure, steps, say);
        return new BootPlan(steps, say);
    }

    /// <summary>
    /// Demotion: a new links generation without the failed one (slot 0 the newest good one),
    /// the failed one marked bad and kept until gc, the boot menu refreshed, the event
    /// recorded, a reboot. The switch comes before the bad mark: a crash between them leaves
    /// a pending generation outside slot 0, never a bad one in it.
    /// </summary>
    static void Demote(BootFacts f, string id, string reason, List<BootStep> steps, List<string> say)
    {
        var current = f.State.Current;
        if (!current.Slots.Any(s => s is not null && s != id))
        {
            steps.Add(new RecordEvent($"{id} failed ({reason}) but no other generation exists to fall back to: it is kept", Notify: true));
            return;
        }
        var slots = LinksPlanner.Demote(current.Slots, id, f.LinksCount, x => f.State.Find(x)?.State == BootState.Good);
        steps.Add(new SwitchCurrent(slots));
        steps.Add(new SetBootState(id, BootState.Bad, reason));
        steps.Add(new RefreshBootMenu());
        steps.Add(new RecordEvent($"demoted {id}: {reason}; slot 0 is now {slots[0]}", Notify: true));
        steps.Add(new Reboot($"{id} was demoted"));
        say.Add($"demoting {id}: {reason}");
    }

    /// <summary>This boot runs the trial: booted through <c>pending</c>, or the generation in its slot 0.</summary>
    static bool IsTrialBoot(BootFacts f, Layout.LinksGeneration pending) =>
        f.Booted.Link == "pending" || (f.Booted.GenerationId is { } id && pending.Slots[0] == id);

    /// <summary>
    /// Where the booted generation came from when it is not slot 0 of <c>current</c> (a
    /// fallback chosen by hand in the menu), or null. Decided by the generation, not the
    /// slot number: the slots of a short history repeat the last generation.
    /// </summary>
    static string? FallbackSlot(BootFacts f, string id)
    {
        if (f.State.Current.Slots[0] == id) return null;
        return f.Booted.Slot is { } n && f.Booted.Link is { } link
            ? $"from {link} slot {n.ToString(CultureInfo.InvariantCulture)}"
            : "outside slot 0";
    }

    static string Word(BootState s) => s.ToString().ToLowerInvariant();
}
