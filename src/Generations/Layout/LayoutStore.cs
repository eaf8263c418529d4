using Apkgen.Generations.Edge;
using Apkgen.Generations.Linux;
using Apkgen.Generations.Model;

namespace Apkgen.Generations.Layout;

/// <summary>
/// The one place that reads and writes the layout's files: symlinks, links directories,
/// generation.ini. Everything it decides comes from the pure planners.
/// </summary>
public sealed class LayoutStore(TopLevel top, IBtrfs btrfs)
{
    /// <summary>The top level this store works on.</summary>
    public TopLevel Top { get; } = top;

    /// <summary>True if the directory holds an apkgen/guide layout (a <c>current</c> symlink).</summary>
    public bool Exists => new FileInfo(Top.CurrentLinkPath).LinkTarget is not null;

    /// <summary>
    /// Reads the whole layout. Fails with <see cref="ExitCodes.NoLayout"/> when there is none,
    /// and <see cref="ExitCodes.DataError"/> when <c>current</c> does not resolve.
    /// </summary>
    public LayoutState Read()
    {
        var currentTarget = new FileInfo(Top.CurrentLinkPath).LinkTarget
            ?? throw new ApkgenException($"no apkgen layout on this filesystem ({Top.CurrentLinkPath} is missing)",
                "create one with 'apkgen init', or set [layout] device to the right filesystem", ExitCodes.NoLayout);
        var current = ReadLinks(currentTarget, "current")
            ?? throw new ApkgenException($"'current' points at '{currentTarget}', which is not a links directory",
                "repair it by hand: current must be a symlink ./links/<id> to an existing links directory", ExitCodes.DataError);
        LinksGeneration? pending = null;
        if (new FileInfo(Top.PendingLinkPath).LinkTarget is { } pendingTarget)
            pending = ReadLinks(pendingTarget, "pending");

        var generations = new List<Generation>();
        if (Directory.Exists(Top.SnapshotsDirPath))
            foreach (var dir in Directory.EnumerateDirectories(Top.SnapshotsDirPath))
            {
                var id = Path.GetFileName(dir);
                generations.Add(ReadGeneration(id));
            }
        GenerationOrder.Sort(generations, g => g.Id, g => g.Info.Parent);
        var linksIds = Directory.Exists(Top.LinksDirPath)
            ? Directory.EnumerateDirectories(Top.LinksDirPath).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        var staleNext = Directory.Exists(Top.NextDirPath) && Directory.EnumerateFileSystemEntries(Top.NextDirPath).Any();
        return new LayoutState(Top, generations, current, pending, linksIds, staleNext);
    }

    /// <summary>Reads one generation's directory.</summary>
    public Generation ReadGeneration(string id)
    {
        var infoPath = Top.InfoFilePath(id);
        GenerationInfo info;
        var hasInfo = File.Exists(infoPath);
        try
        {
            info = hasInfo ? GenerationInfo.Parse(id, File.ReadAllText(infoPath)) : GenerationInfo.Implicit(id);
        }
        catch (FormatException e)
        {
            throw new ApkgenException($"{infoPath}: {e.Message}", "fix or delete the file (a generation without it counts as good)", ExitCodes.DataError, e);
        }
        var root = Top.RootSubvolumePath(id);
        var hasRoot = Directory.Exists(root);
        return new Generation(id, info, hasInfo, hasRoot, hasRoot && btrfs.IsSubvolume(root) && btrfs.IsReadOnly(root));
    }

    LinksGeneration? ReadLinks(string target, string what)
    {
        var lid = TopLevel.IdFromLinksTarget(target);
        if (lid is null) return null;
        var dir = Top.LinksGenerationDirPath(lid);
        if (!Directory.Exists(dir)) return null;
        var slots = new List<string?>();
        for (var i = 0; ; i++)
        {
            var link = new FileInfo(Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (link.LinkTarget is not { } t) break;
            slots.Add(TopLevel.IdFromSlotTarget(t));
        }
        return slots.Count == 0 ? null : new LinksGeneration(lid, slots);
    }

    /// <summary>
    /// Writes generation.ini atomically (it sits outside the read-only subvolume). A commit
    /// passes <paramref name="durable"/> false: its syncfs before the switch makes the file
    /// durable before anything names the generation (bench/: two fsyncs saved per commit).
    /// </summary>
    public void WriteInfo(GenerationInfo info, bool durable = true) =>
        AtomicFile.Write(Top.InfoFilePath(info.Id), info.Render(), durable: durable);

    /// <summary>
    /// Makes <c>links/&lt;lid&gt;/0..N-1</c>. Not durable by itself: <see cref="Switch"/>
    /// syncs the filesystem before the rename that makes it reachable.
    /// </summary>
    public void CreateLinksGeneration(string lid, IReadOnlyList<string> slots)
    {
        var dir = Top.LinksGenerationDirPath(lid);
        Directory.CreateDirectory(Top.LinksDirPath);
        Directory.CreateDirectory(dir);
        for (var i = 0; i < slots.Count; i++)
        {
            var path = Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Native.symlink(TopLevel.SlotTarget(slots[i]), path) != 0) throw Native.Error("symlink", path);
            Faults.Stage("links-" + i);
        }
    }

    /// <summary>
    /// Points <c>current</c> (or <c>pending</c>) at a links generation in one rename:
    /// make <c>next/NAME</c>, syncfs, rename it over <c>NAME</c>, syncfs. Measured here
    /// (CRASH-TESTING): without the first sync a crash can boot a generation with
    /// zero-length files; without the second, the switch may not be durable when the
    /// command returns, and rEFInd reads only committed trees.
    /// </summary>
    public void Switch(string linkName, string lid)
    {
        Directory.CreateDirectory(Top.NextDirPath);
        var next = Path.Combine(Top.NextDirPath, linkName);
        if (File.Exists(next) || new FileInfo(next).LinkTarget is not null) File.Delete(next);
        if (Native.symlink(TopLevel.LinksTarget(lid), next) != 0) throw Native.Error("symlink", next);
        Faults.Stage("next");
        btrfs.SyncFs(Top.TopDirPath);
        Faults.Stage("sync1");
        if (Native.rename(next, Path.Combine(Top.TopDirPath, linkName)) != 0) throw Native.Error("rename", next);
        Faults.Stage("rename");
        btrfs.SyncFs(Top.TopDirPath);
        Faults.Stage("sync2");
    }

    /// <summary>Removes <c>pending</c> durably (trial mode, after promotion or failure).</summary>
    public void RemovePending()
    {
        if (new FileInfo(Top.PendingLinkPath).LinkTarget is null) return;
        File.Delete(Top.PendingLinkPath);
        btrfs.SyncFs(Top.TopDirPath);
    }
}
