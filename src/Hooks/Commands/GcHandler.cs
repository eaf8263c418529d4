using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen gc [--dry-run]</c>: delete generations and links directories nothing uses (<see cref="GcUseCase"/>).</summary>
static class GcHandler
{
    public static Command Command(Composition composition)
    {
        var dry = new Option<bool>("--dry-run", "-n") { Description = "print what would be deleted; delete nothing" };
        var sizes = new Option<bool>("--sizes") { Description = "first print what each generation holds exclusively and what gc frees (btrfs qgroups, else an estimate)" };
        var cmd = new Command("gc", "delete generations no slot, pending, boot or pin keeps, and what crashed runs left") { dry, sizes, ExecHandler.Wait };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            Cli.RequireRoot();
            var dryRun = parse.GetValue(dry);
            var plan = GcUseCase.Run(ctx, parse.GetValue(ExecHandler.Wait), dryRun, (session, state, plan) =>
            {
                foreach (var links in new[] { state.Current, state.Pending }.OfType<Core.Layout.LinksGeneration>())
                    if (StatusHandler.GapWarning(links) is { } gap) ctx.Say("warning: " + gap);
                ListHandler.WarnUnreadableMetadata(ctx, session, state);
                var verb = dryRun ? "would delete" : "deleting";
                foreach (var id in plan.DeleteGenerations) ctx.Out.WriteLine($"{verb} generation {Printable.Escape(id)}");
                foreach (var lid in plan.DeleteLinks) ctx.Out.WriteLine($"{verb} links/{Printable.Escape(lid)}");
                if (plan.ClearNext) ctx.Out.WriteLine($"{verb} a stale next/ entry");
                if (plan.IsEmpty) ctx.Out.WriteLine("nothing to delete");
                if (parse.GetValue(sizes)) GcSizes.Write(ctx, session.Top, state, plan);
            }, Interruption.Token);
            if (!dryRun && !plan.IsEmpty)
                ctx.Out.WriteLine($"deleted {plan.DeleteGenerations.Count} generation(s), {plan.DeleteLinks.Count} links director(ies)");
            return 0;
        }));
        return cmd;
    }
}
