using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Model;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen rollback [SLOT]</c>: promote a fallback slot to slot 0 without rebuilding anything.</summary>
static class RollbackHandler
{
    public static Command Command()
    {
        var slot = new Argument<int>("slot") { Description = "the slot to promote to slot 0 (default 1)", DefaultValueFactory = _ => 1 };
        var cmd = new Command("rollback", "make a fallback slot the default (slot 0); the others shift down") { slot, ExecHandler.Wait };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            Cli.RequireRoot();
            using var session = Session.Open(ctx);
            session.Lock(parse.GetValue(ExecHandler.Wait));
            var state = session.Store.Read();
            var n = parse.GetValue(slot);
            if (n < 1 || n >= state.Current.Slots.Count || state.Current.Slots[n] is null)
                throw new ApkgenException($"there is no fallback slot {n}", $"fallback slots are 1 to {state.Current.Slots.Count - 1}; see 'apkgen status'", ExitCodes.DataError);
            var id = state.Current.Slots[n]!;
            if (id == state.Current.Slots[0])
            {
                ctx.Say($"slot {n} holds {id}, which is already in slot 0: nothing to do");
                return 0;
            }
            // Slot 0 is what the next boot starts: only a complete, committed, not-bad generation.
            var why = state.Find(id) is { } g ? g.WhyNotUsable() : $"does not exist (snapshots/{id} is missing)";
            if (why is not null)
                throw new ApkgenException($"slot {n} holds generation {id}, which {why}; rollback promotes only a complete, committed, not-bad generation",
                    "choose another slot (see 'apkgen status'); a bad generation can be marked good with 'apkgen-bootcheck mark-good' first", ExitCodes.DataError);
            var slots = LinksPlanner.Rollback(state.Current.Slots, n, ctx.Config.Layout.Links);
            var lid = GenerationId.New(ctx.Clock.UtcNow, ctx.Random);
            session.Store.CreateLinksGeneration(lid, slots);
            session.Store.Switch("current", lid);
            if (state.Pending is not null)
            {
                session.Store.RemovePending();
                ctx.Say("dropped the pending trial generation");
            }
            ctx.Say($"rolled back: {id} is in slot 0 (was slot {n}); reboot to use it");
            AfterSwitch.Run(ctx, session, session.Store.Read());
            return 0;
        }));
        return cmd;
    }
}
