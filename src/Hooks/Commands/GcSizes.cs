using Apkgen.Core;
using Apkgen.Core.Layout;
using Apkgen.Core.Space;
using Apkgen.Core.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen gc --sizes</c>: what each generation holds exclusively, and what the plan frees.</summary>
static class GcSizes
{
    /// <summary>Measured before anything is deleted; the table names why each kept generation stays.</summary>
    public static void Write(SystemContext ctx, TopLevel top, LayoutState state, GcPlan plan)
    {
        var sizes = GenerationSizes.Measure(ctx.Btrfs, ctx.Space, top, state.Generations.Select(g => g.Id));
        ctx.Out.WriteLine($"{"ID",-22}  {"EXCLUSIVE",10}  GC");
        foreach (var g in state.Generations.Reverse())
        {
            var size = sizes.Exclusive.TryGetValue(g.Id, out var b) ? Sizes.Format(b) : "-";
            var fate = plan.DeleteGenerations.Contains(g.Id) ? "deleted" : $"kept ({plan.Kept.GetValueOrDefault(g.Id, "?")})";
            ctx.Out.WriteLine($"{Printable.Escape(g.Id),-22}  {size,10}  {fate}");
        }
        ctx.Out.WriteLine($"gc frees about {Sizes.Format(sizes.Total(plan.DeleteGenerations))} ({plan.DeleteGenerations.Count} generation(s); "
            + "at least the sum of their exclusive sizes: data only they share counts in none)");
        ctx.Out.WriteLine(sizes.SourceNote);
    }
}
