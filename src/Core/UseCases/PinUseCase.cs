using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary><c>apkgen pin ID</c> / <c>apkgen unpin ID</c>: keep a generation from gc, or let it go.</summary>
public static class PinUseCase
{
    /// <summary>Sets or clears the pin of one generation; returns its full id.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="slotOrId">A generation id (a unique prefix is enough) or a slot number.</param>
    /// <param name="pin">Pin (true) or unpin.</param>
    /// <param name="userPath">How the user sees a path of the top level (for the error on unreadable metadata).</param>
    /// <param name="cancel">Cancelled by a stop signal while waiting for the lock.</param>
    public static string Run(SystemContext ctx, string slotOrId, bool pin, Func<Session, string, string> userPath, CancellationToken cancel)
    {
        using var session = Session.Open(ctx);
        session.Lock(null, cancel);
        var state = session.Store.Read();
        var gid = BaseSelector.Resolve(state, slotOrId);
        var g = state.Find(gid)
            ?? throw new ApkgenException($"generation {Printable.Escape(gid)} does not exist", "see 'apkgen list'", ExitCodes.DataError);
        // Writing the file anew would replace what is left of its boot state with defaults.
        if (g.MetadataError is { } error)
            throw new ApkgenException($"{userPath(session, $"snapshots/{gid}/generation.ini")} {error}",
                "fix or delete the file first (without it the generation counts as made by hand), then pin again", ExitCodes.DataError);
        session.Store.WriteInfo(g.Info with { Pinned = pin });
        ctx.Btrfs.SyncFs(session.Top.TopDirPath);
        return gid;
    }
}
