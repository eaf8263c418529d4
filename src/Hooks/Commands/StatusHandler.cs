using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Model;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen status</c>: what is booted, from which slot, and what each slot holds.</summary>
static class StatusHandler
{
    public static Command Command()
    {
        var cmd = new Command("status", "show the booted generation, the slots, pending changes and leftovers");
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            using var session = Session.Open(ctx);
            var state = session.Store.Read();
            var booted = session.ReadBooted(state);
            var building = ChangeInProgress.Find(state);
            ListHandler.WarnUnreadableMetadata(ctx, session, state);
            var o = ctx.Out;
            string E(string? s) => Printable.Escape(s);
            o.WriteLine($"device:   {E(session.Device)}");
            o.WriteLine(booted.GenerationId is null
                ? "booted:   not from this layout"
                : $"booted:   {E(booted.GenerationId)}" + (booted.Link is null ? "" : $" from {booted.Link} slot {booted.Slot}"));
            if (booted.GenerationId is not null && booted.GenerationId != state.Current.Slots[0])
                o.WriteLine($"          slot 0 holds {E(state.Current.Slots[0] ?? "nothing")}: reboot to use it");
            o.WriteLine($"current:  links/{E(state.Current.Id)}");
            for (var i = 0; i < state.Current.Slots.Count; i++)
                o.WriteLine($"  slot {i}: {Describe(state, state.Current.Slots[i], building)}");
            if (state.Pending is { } p)
                o.WriteLine($"pending:  {Describe(state, p.Slots[0], building)} (trial: boots once via BootNext)");
            foreach (var links in new[] { state.Current, state.Pending }.OfType<LinksGeneration>())
                if (GapWarning(links) is { } gap) o.WriteLine($"gap:      {gap}");
            if (building is not null)
                o.WriteLine($"building: {E(building.GenerationId)}: a change in progress (apkgen process {building.Pid}); gc keeps it");
            var plan = GcPlan.Make(state, booted.GenerationId, building?.GenerationId);
            // What a crash or power cut left: not a generation anyone can boot, so it is named
            // as such rather than only counted in the gc line.
            foreach (var g in state.Generations.Where(g => ListHandler.Condition(g, building) == "broken"))
                o.WriteLine($"leftover: {E(g.Id)}: broken, {E(g.WhyNotUsable())}; "
                    + (plan.DeleteGenerations.Contains(g.Id) ? "'apkgen gc' deletes it" : $"gc keeps it ({E(plan.Kept.GetValueOrDefault(g.Id))})"));
            if (!plan.IsEmpty)
                o.WriteLine($"gc:       {plan.DeleteGenerations.Count} generation(s) and {plan.DeleteLinks.Count} links director(ies) unused: 'apkgen gc' deletes them");
            foreach (var g in state.Generations.Where(g => g.State == BootState.Bad))
                o.WriteLine($"bad:      {E(g.Id)}: {E(g.Info.Reason ?? "failed to boot")}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>The line that reports slots naming no generation (removed by hand), or null.</summary>
    public static string? GapWarning(LinksGeneration links)
    {
        var gaps = links.Gaps;
        if (gaps.Count == 0) return null;
        return $"links/{Printable.Escape(links.Id)} has no generation in slot(s) {string.Join(',', gaps)} (removed or changed by hand); "
            + "gc keeps what every other slot names; the next change or 'apkgen rollback' writes a complete links directory";
    }

    static string Describe(LayoutState state, string? id, ChangeInProgress.Building? building)
    {
        if (id is null) return "(no generation: the link is missing or names something else)";
        var g = state.Find(id);
        if (g is null) return $"{Printable.Escape(id)} (missing!)";
        var condition = ListHandler.Condition(g, building);
        if (g.State == BootState.Pending && g.MetadataError is null && g.Info.AttemptsLeft > 0) condition += $", {g.Info.AttemptsLeft} boot attempt(s) left";
        return Printable.Escape($"{id}  {ListHandler.Time(g.Info.Created)}  {condition}  {ListHandler.What(g, building)}");
    }
}
