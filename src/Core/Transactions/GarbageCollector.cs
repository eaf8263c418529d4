using Apkgen.Core.Layout;

namespace Apkgen.Core.Transactions;

/// <summary>Carries out a <see cref="GcPlan"/>: links first, then snapshots, then one syncfs.</summary>
public static class GarbageCollector
{
    /// <summary>
    /// Deletes what the plan names. Links directories go first so that no links directory
    /// ever names a deleted snapshot; each deletion is idempotent, so a crash midway leaves
    /// only what the next gc removes. The final syncfs commits the deletions (without it a
    /// deleted snapshot reappears after a crash: harmless, but the space is not freed).
    /// </summary>
    public static void Run(SystemContext ctx, LayoutStore store, GcPlan plan)
    {
        var top = store.Top;
        if (plan.ClearNext)
            foreach (var entry in Directory.EnumerateFileSystemEntries(top.NextDirPath))
                File.Delete(entry);
        foreach (var lid in plan.DeleteLinks)
        {
            var dir = top.LinksGenerationDirPath(lid);
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                File.Delete(entry); // symlinks only; never followed
            Directory.Delete(dir);
        }
        var n = 0;
        foreach (var id in plan.DeleteGenerations)
        {
            DeleteGeneration(ctx, top, id);
            ctx.Faults.Pass(FaultStages.Gc(n++));
        }
        // Commit the deletions and wake the cleaner that frees their space.
        ctx.Btrfs.SyncAndClean(top.TopDirPath);
        ctx.Faults.Pass(FaultStages.GcSync);
    }

    static void DeleteGeneration(SystemContext ctx, TopLevel top, string id)
    {
        var dir = top.SnapshotDirPath(id);
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            if (new FileInfo(entry).LinkTarget is null && Directory.Exists(entry))
            {
                if (!ctx.Btrfs.IsSubvolume(entry))
                    throw new ApkgenException($"{entry} is a plain directory, not a subvolume; gc deletes only subvolumes",
                        "move it out of snapshots/ by hand, then run gc again", ExitCodes.DataError);
                ctx.Btrfs.DeleteSubvolume(entry);
            }
            else
                File.Delete(entry);
        }
        Directory.Delete(dir);
    }
}
