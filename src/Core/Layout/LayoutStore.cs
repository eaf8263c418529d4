using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Layout;

/// <summary>
/// The one place that reads and writes the layout's files: symlinks, links directories,
/// generation.ini. Everything it decides comes from the pure planners.
/// </summary>
/// <param name="top">The top level's paths.</param>
/// <param name="btrfs">The filesystem.</param>
/// <param name="faults">Where the crash tests stop a write (none in a shipped executable).</param>
/// <param name="links">symlink(2) and rename(2).</param>
public sealed class LayoutStore(TopLevel top, IBtrfs btrfs, IFaultPoints? faults = null, ILinks? links = null)
{
    readonly IFaultPoints _faults = faults ?? NoFaultPoints.Instance;
    readonly ILinks _links = links ?? new LinuxLinks();

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
        var current = ReadLinks(currentTarget)
            ?? throw new ApkgenException($"'current' points at '{currentTarget}', which is not a links directory",
                "repair it by hand: current must be a symlink ./links/<id> to an existing links directory", ExitCodes.DataError);
        LinksGeneration? pending = null;
        if (new FileInfo(Top.PendingLinkPath).LinkTarget is { } pendingTarget)
            pending = ReadLinks(pendingTarget);

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

    /// <summary>
    /// Reads one generation's directory. A generation.ini that cannot be read (malformed,
    /// not a regular file, larger than <see cref="MaxInfoFileBytes"/>) does not fail the read:
    /// the generation gets the implicit metadata of a guide-made one and
    /// <see cref="Generation.MetadataError"/> says why, so that one bad file does not stop
    /// status, list or the gc that would delete it.
    /// </summary>
    public Generation ReadGeneration(string id)
    {
        var infoPath = Top.InfoFilePath(id);
        var info = GenerationInfo.Implicit(id);
        string? error = null;
        var text = ReadMetadataFile(infoPath, out var hasInfo, out error);
        if (text is not null)
        {
            try
            {
                info = GenerationInfo.Parse(id, text);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }
        }
        var root = Top.RootSubvolumePath(id);
        var hasRoot = Directory.Exists(root);
        var isSubvolume = hasRoot && btrfs.IsSubvolume(root);
        return new Generation(id, info, hasInfo, hasRoot, isSubvolume && btrfs.IsReadOnly(root))
        {
            MetadataError = error,
            RootIsPlainDirectory = hasRoot && !isSubvolume,
        };
    }

    /// <summary>
    /// generation.ini is a few hundred bytes; anything past this is not apkgen's file and is
    /// not read (a <c>/dev/zero</c> in its place took 2.2 GB before the limit).
    /// </summary>
    public const int MaxInfoFileBytes = 64 * 1024;

    /// <summary>
    /// The text of a metadata file, read only if it is a regular file of at most
    /// <see cref="MaxInfoFileBytes"/> (a symlink is refused, a FIFO not waited on; see
    /// <see cref="BoundedFile.ReadRegular"/>). Null with <paramref name="exists"/> false when
    /// there is no file, null with <paramref name="error"/> set when it cannot be read.
    /// </summary>
    static string? ReadMetadataFile(string path, out bool exists, out string? error) =>
        BoundedFile.ReadRegular(path, MaxInfoFileBytes, out exists, out error);

    /// <summary>
    /// Reads <c>links/&lt;lid&gt;</c>: every entry named by a slot number, whatever the gaps
    /// (a slot removed by hand must not hide the slots after it: gc keeps what they name).
    /// </summary>
    LinksGeneration? ReadLinks(string target)
    {
        var lid = TopLevel.IdFromLinksTarget(target);
        if (lid is null) return null;
        var dir = Top.LinksGenerationDirPath(lid);
        if (!Directory.Exists(dir)) return null;
        var named = new SortedDictionary<int, string?>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            // Slot numbers only, written as apkgen and the guide write them (no sign, no leading zero).
            if (name.Length is 0 or > 4 || name.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0 || (name.Length > 1 && name[0] == '0'))
                continue;
            var slot = int.Parse(name, System.Globalization.CultureInfo.InvariantCulture);
            named[slot] = new FileInfo(entry).LinkTarget is { } t ? TopLevel.IdFromSlotTarget(t) : null;
        }
        if (named.Count == 0) return null;
        var slots = new string?[named.Keys.Max() + 1];
        foreach (var (slot, id) in named) slots[slot] = id;
        return new LinksGeneration(lid, slots);
    }

    /// <summary>
    /// Writes generation.ini atomically (it sits outside the read-only subvolume). A commit
    /// passes <paramref name="durable"/> false: its syncfs before the switch makes the file
    /// durable before anything names the generation (bench/: two fsyncs saved per commit).
    /// </summary>
    public void WriteInfo(GenerationInfo info, bool durable = true) =>
        AtomicFile.Write(Top.InfoFilePath(info.Id), info.Render(), durable: durable);

    /// <summary>
    /// The one way a new links generation becomes reachable: makes <c>links/&lt;lid&gt;</c>
    /// with <paramref name="slots"/> and switches <paramref name="linkName"/> (<c>current</c>
    /// or <c>pending</c>) to it durably. A commit, a rollback, a demotion and init all publish
    /// through here. Returns the links generation as now on disk.
    /// </summary>
    /// <param name="linkName"><c>current</c> or <c>pending</c>.</param>
    /// <param name="slots">The generations of slots 0..N-1 (LinksPlanner's plan).</param>
    /// <param name="lid">The new links generation's id.</param>
    /// <param name="beforeSwitch">
    /// Called between the links directory and the switch: the last point where the caller
    /// may still stop (a transaction checks for a stop signal and stops undoing itself).
    /// </param>
    public LinksGeneration Publish(LayoutLink linkName, IReadOnlyList<string> slots, string lid, Action? beforeSwitch = null)
    {
        CreateLinksGeneration(lid, slots);
        beforeSwitch?.Invoke();
        Switch(linkName, lid);
        return new LinksGeneration(lid, slots);
    }

    /// <summary>
    /// Makes <c>links/&lt;lid&gt;/0..N-1</c>. Not durable by itself: <see cref="Switch"/>
    /// syncs the filesystem before the rename that makes it reachable.
    /// </summary>
    void CreateLinksGeneration(string lid, IReadOnlyList<string> slots)
    {
        var dir = Top.LinksGenerationDirPath(lid);
        Directory.CreateDirectory(Top.LinksDirPath);
        Directory.CreateDirectory(dir);
        for (var i = 0; i < slots.Count; i++)
        {
            var path = Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _links.CreateSymlink(TopLevel.SlotTarget(slots[i]), path);
            _faults.Pass(FaultStages.Links(i));
        }
    }

    /// <summary>
    /// Points <c>current</c> (or <c>pending</c>) at a links generation in one rename:
    /// make <c>next/NAME</c>, syncfs, rename it over <c>NAME</c>, syncfs. Measured here
    /// (CRASH-TESTING): without the first sync a crash can boot a generation with
    /// zero-length files; without the second, the switch may not be durable when the
    /// command returns, and rEFInd reads only committed trees.
    /// </summary>
    public void Switch(LayoutLink linkName, string lid)
    {
        Directory.CreateDirectory(Top.NextDirPath);
        var next = Path.Combine(Top.NextDirPath, linkName.FileName());
        if (File.Exists(next) || new FileInfo(next).LinkTarget is not null) File.Delete(next);
        _links.CreateSymlink(TopLevel.LinksTarget(lid), next);
        _faults.Pass(FaultStages.Next);
        btrfs.SyncFs(Top.TopDirPath);
        _faults.Pass(FaultStages.Sync1);
        _links.Rename(next, Path.Combine(Top.TopDirPath, linkName.FileName()));
        _faults.Pass(FaultStages.Rename);
        btrfs.SyncFs(Top.TopDirPath);
        _faults.Pass(FaultStages.Sync2);
    }

    /// <summary>Removes <c>pending</c> durably (trial mode, after promotion or failure).</summary>
    public void RemovePending()
    {
        if (new FileInfo(Top.PendingLinkPath).LinkTarget is null) return;
        File.Delete(Top.PendingLinkPath);
        btrfs.SyncFs(Top.TopDirPath);
    }
}
