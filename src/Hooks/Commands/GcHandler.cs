using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen gc [--dry-run]</c>: delete generations and links directories nothing uses (the guide's syscln, made safe).</summary>
static class GcHandler
{
    public static Command Command()
    {
        var dry = new Option<bool>("--dry-run", "-n") { Description = "print what would be deleted; delete nothing" };
        var sizes = new Option<bool>("--sizes") { Description = "first print what each generation holds exclusively and what gc frees (btrfs qgroups, else an estimate)" };
        var cmd = new Command("gc", "delete generations no slot, pending, boot or pin keeps, and what crashed runs left") { dry, sizes, ExecHandler.Wait };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            Cli.RequireRoot();
            using var session = Session.Open(ctx);
            // Under the lock: a transaction being built is never visible to gc.
            session.Lock(parse.GetValue(ExecHandler.Wait));
            var state = session.Store.Read();
            var booted = session.ReadBooted(state);
            var plan = GcPlan.Make(state, booted.GenerationId);
            foreach (var links in new[] { state.Current, state.Pending }.OfType<Generations.Layout.LinksGeneration>())
                if (StatusHandler.GapWarning(links) is { } gap) ctx.Say("warning: " + gap);
            ListHandler.WarnUnreadableMetadata(ctx, session, state);
            var verb = parse.GetValue(dry) ? "would delete" : "deleting";
            foreach (var id in plan.DeleteGenerations) ctx.Out.WriteLine($"{verb} generation {Printable.Escape(id)}");
            foreach (var lid in plan.DeleteLinks) ctx.Out.WriteLine($"{verb} links/{Printable.Escape(lid)}");
            if (plan.ClearNext) ctx.Out.WriteLine($"{verb} a stale next/ entry");
            if (plan.IsEmpty) ctx.Out.WriteLine("nothing to delete");
            if (parse.GetValue(sizes)) GcSizes.Write(ctx, session.Top, state, plan);
            if (!parse.GetValue(dry) && !plan.IsEmpty)
            {
                GarbageCollector.Run(ctx, session.Store, plan);
                ctx.Out.WriteLine($"deleted {plan.DeleteGenerations.Count} generation(s), {plan.DeleteLinks.Count} links director(ies)");
            }
            return 0;
        }));
        return cmd;
    }
}
