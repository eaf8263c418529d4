using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen pin ID</c> / <c>apkgen unpin ID</c>: keep a generation from gc, or let it go.</summary>
static class PinHandler
{
    public static Command Command(bool pin)
    {
        var id = new Argument<string>("generation") { Description = "generation id (a unique prefix is enough) or slot number" };
        var cmd = new Command(pin ? "pin" : "unpin", pin ? "keep a generation from gc" : "let gc delete a generation again when no slot uses it") { id };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            Cli.RequireRoot();
            using var session = Session.Open(ctx);
            session.Lock(null);
            var state = session.Store.Read();
            var gid = BaseSelector.Resolve(state, parse.GetValue(id)!);
            var g = state.Find(gid)
                ?? throw new ApkgenException($"generation {Printable.Escape(gid)} does not exist", "see 'apkgen list'", ExitCodes.DataError);
            // Writing the file anew would replace what is left of its boot state with defaults.
            if (g.MetadataError is { } error)
                throw new ApkgenException($"{ListHandler.UserPath(ctx, session, $"snapshots/{gid}/generation.ini")} {error}",
                    "fix or delete the file first (without it the generation counts as made by hand), then pin again", ExitCodes.DataError);
            session.Store.WriteInfo(g.Info with { Pinned = pin });
            ctx.Btrfs.SyncFs(session.Top.TopDirPath);
            ctx.Say($"{(pin ? "pinned" : "unpinned")} {gid}");
            return 0;
        }));
        return cmd;
    }
}
