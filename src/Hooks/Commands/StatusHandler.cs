using System.CommandLine;
using Apkgen.Generations;
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
            var o = ctx.Out;
            o.WriteLine($"device:   {session.Device}");
            o.WriteLine(booted.GenerationId is null
                ? "booted:   not from this layout"
                : $"booted:   {booted.GenerationId}" + (booted.Link is null ? "" : $" from {booted.Link} slot {booted.Slot}"));
            if (booted.GenerationId is not null && booted.GenerationId != state.Current.Slots[0])
                o.WriteLine($"          slot 0 holds {state.Current.Slots[0]}: reboot to use it");
            o.WriteLine($"current:  links/{state.Current.Id}");
            for (var i = 0; i < state.Current.Slots.Count; i++)
                o.WriteLine($"  slot {i}: {Describe(state, state.Current.Slots[i])}");
            if (state.Pending is { } p)
                o.WriteLine($"pending:  {Describe(state, p.Slots[0])} (trial: boots once via BootNext)");
            var plan = GcPlan.Make(state, booted.GenerationId);
            if (!plan.IsEmpty)
                o.WriteLine($"gc:       {plan.DeleteGenerations.Count} generation(s) and {plan.DeleteLinks.Count} links director(ies) unused: 'apkgen gc' deletes them");
            foreach (var g in state.Generations.Where(g => g.State == BootState.Bad))
                o.WriteLine($"bad:      {g.Id}: {g.Info.Reason ?? "failed to boot"}");
            return 0;
        }));
        return cmd;
    }

    static string Describe(Generations.Layout.LayoutState state, string? id)
    {
        if (id is null) return "(broken link)";
        var g = state.Find(id);
        if (g is null) return $"{id} (missing!)";
        var state_ = g.State.ToString().ToLowerInvariant();
        if (g.State == BootState.Pending && g.Info.AttemptsLeft > 0) state_ += $", {g.Info.AttemptsLeft} boot attempt(s) left";
        return $"{id}  {ListHandler.Time(g.Info.Created)}  {state_}  {g.Info.Describe()}";
    }
}
