using Apkgen.Core.Edge;

namespace Apkgen.Core.Files;

/// <summary>
/// The comparison of a file diff, apart from how the trees are read: which way to find the
/// candidates (<see cref="Choose"/>), and the classification of paths as added, removed or
/// changed, either from btrfs's candidates (<see cref="FromCandidates"/>) or by a walk of both
/// trees (<see cref="Walk"/>). Both give the same answer on a snapshot and its parent.
/// </summary>
/// <remarks>
/// Equal means: same type, permission bits, owner and group, and for a regular file the same
/// bytes, for a symlink the same target, for a device the same number. Times are not compared:
/// apk rewrites files it did not change (its database, on every commit) with a new mtime, and
/// a diff that listed those would hide the real change. A regular file with the same inode
/// number, ctime and size in both is equal without reading it: a btrfs snapshot keeps the
/// inode numbers, and btrfs sets ctime on every change of data or metadata (touching ctime
/// needs the clock itself). Sizes that differ need no read either; equal sizes are read.
/// Extended attributes are not compared.
/// </remarks>
public static class FileDiffPlanner
{
    /// <summary>
    /// Top-level directories whose content is never a generation's: the kernel's and the
    /// change's own mounts (proc, sys, dev, run, tmp) live there while a change runs, and
    /// whatever a boot puts there is not in the snapshot. The directories themselves are compared.
    /// </summary>
    public static readonly IReadOnlyList<string> ExcludedTopDirectories = ["dev", "proc", "run", "sys", "tmp"];

    /// <summary>True when the path is inside one of <see cref="ExcludedTopDirectories"/>.</summary>
    public static bool Excluded(string relative)
    {
        var slash = relative.IndexOf('/');
        return slash > 0 && ExcludedTopDirectories.Contains(relative[..slash]);
    }

    /// <summary>
    /// Whether btrfs can give the candidates: one must be a snapshot of the other (parent
    /// UUID) whose parent has not changed since the snapshot was taken (its tree's generation
    /// is at most the snapshot's creation transaction; taking the snapshot itself sets it to
    /// exactly that, measured with <c>btrfs subvolume show</c>). Otherwise a walk, and why.
    /// </summary>
    public static (FileDiffMethod Method, string? Reason) Choose(SubvolumeInfo first, SubvolumeInfo second)
    {
        var (method, _, reason) = Plan(first, second, []);
        return (method, reason);
    }

    /// <summary>
    /// <see cref="Choose"/> through a chain of snapshots: the second generation made from the
    /// first by one change after the other (slot 2 to slot 0), every link a snapshot of the one
    /// before it that did not change after. <paramref name="known"/> are the other subvolumes
    /// that may be links. The links are returned from the first snapshot after the ancestor to
    /// the descendant; a path that differs between the ends was last written in one of them,
    /// or last removed from a directory one of them wrote.
    /// </summary>
    public static (FileDiffMethod Method, IReadOnlyList<SubvolumeInfo> Links, string? Reason) Plan(SubvolumeInfo first, SubvolumeInfo second, IEnumerable<SubvolumeInfo> known)
    {
        var byUuid = new Dictionary<Guid, SubvolumeInfo>();
        foreach (var k in known.Append(first).Append(second)) byUuid.TryAdd(k.Uuid, k);
        if (first.Uuid == second.Uuid) return (FileDiffMethod.Walk, [], "both generations are the same subvolume");
        var (down, downReason) = Chain(first, second, byUuid);
        if (down is not null) return (FileDiffMethod.ChildOfFirst, down, null);
        var (up, upReason) = Chain(second, first, byUuid);
        if (up is not null) return (FileDiffMethod.ParentOfFirst, up, null);
        return (FileDiffMethod.Walk, [], downReason == "second" ? "the first generation changed after the second was snapshotted from it"
            : upReason == "second" ? "the second generation changed after the first was snapshotted from it"
            : downReason ?? upReason ?? "neither generation is a snapshot of the other");
    }

    /// <summary>The links from ancestor to descendant, or null and why ("second": the ancestor's first child was snapshotted before the ancestor changed).</summary>
    static (IReadOnlyList<SubvolumeInfo>? Links, string? Reason) Chain(SubvolumeInfo ancestor, SubvolumeInfo descendant, Dictionary<Guid, SubvolumeInfo> byUuid)
    {
        var links = new List<SubvolumeInfo>();
        var seen = new HashSet<Guid>();
        for (var current = descendant; seen.Add(current.Uuid);)
        {
            if (current.ParentUuid == Guid.Empty || !byUuid.TryGetValue(current.ParentUuid, out var parent)) return (null, null);
            if (parent.Generation > current.CreatedTransid)
                return (null, parent.Uuid == ancestor.Uuid && links.Count == 0 ? "second" : "a generation between them changed after its snapshot was taken");
            links.Add(current);
            if (parent.Uuid == ancestor.Uuid)
            {
                links.Reverse();
                return (links, null);
            }
            current = parent;
        }
        return (null, null);
    }

    /// <summary>Every difference, found by walking both trees together.</summary>
    public static IReadOnlyList<FileChange> Walk(ISnapshotTree older, ISnapshotTree newer)
    {
        var found = new Dictionary<string, FileChangeKind>(StringComparer.Ordinal);
        if (older.Entry("") is { } ra && newer.Entry("") is { } rb && !Same(older, newer, "", ra, rb)) found[""] = FileChangeKind.Changed;
        WalkDirectory(older, newer, "", found);
        return Sorted(found);
    }

    /// <summary>
    /// The differences among <paramref name="candidates"/>: the paths, in the newer tree, of
    /// the inodes changed since the newer was snapshotted from the older. A name the newer
    /// tree lost is found in its directory, which the unlink changed: the names a changed
    /// directory had in the older tree and lacks in the newer are removed (with all below them).
    /// </summary>
    public static IReadOnlyList<FileChange> FromCandidates(ISnapshotTree older, ISnapshotTree newer, IEnumerable<string> candidates)
    {
        var found = new Dictionary<string, FileChangeKind>(StringComparer.Ordinal);
        foreach (var path in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (Excluded(path)) continue;
            var a = older.Entry(path);
            var b = newer.Entry(path);
            Classify(older, newer, path, a, b, found);
            if (a is { IsDirectory: true } && b is { IsDirectory: true })
            {
                var inNewer = newer.List(path).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var (name, entry) in older.List(path))
                    if (!inNewer.Contains(name)) Classify(older, newer, Join(path, name), entry, null, found);
                var inOlder = older.List(path).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var (name, entry) in newer.List(path))
                    if (!inOlder.Contains(name)) Classify(older, newer, Join(path, name), null, entry, found);
            }
        }
        return Sorted(found);
    }

    /// <summary>The same differences seen from the other side: added and removed swap.</summary>
    public static IReadOnlyList<FileChange> Reverse(IReadOnlyList<FileChange> changes) =>
        changes.Select(c => c with
        {
            Kind = c.Kind switch { FileChangeKind.Added => FileChangeKind.Removed, FileChangeKind.Removed => FileChangeKind.Added, _ => c.Kind },
        }).ToList();

    /// <summary>Records one path's difference; an entry that appears or goes as a directory brings all below it.</summary>
    static void Classify(ISnapshotTree older, ISnapshotTree newer, string path, FileEntry? a, FileEntry? b, Dictionary<string, FileChangeKind> found)
    {
        if (Excluded(path)) return;
        if (a is null && b is null) return;
        if (a is null) found[path] = FileChangeKind.Added;
        else if (b is null) found[path] = FileChangeKind.Removed;
        else if (!Same(older, newer, path, a, b)) found[path] = FileChangeKind.Changed;
        // A directory that is only on one side (new, gone, or another type now): everything
        // below it is added or removed, whether btrfs named those inodes or not.
        if (a is { IsDirectory: true } && b is not { IsDirectory: true }) Subtree(older, path, FileChangeKind.Removed, found);
        if (b is { IsDirectory: true } && a is not { IsDirectory: true }) Subtree(newer, path, FileChangeKind.Added, found);
    }

    static void WalkDirectory(ISnapshotTree older, ISnapshotTree newer, string dir, Dictionary<string, FileChangeKind> found)
    {
        var a = older.List(dir).ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal);
        var b = newer.List(dir).ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal);
        foreach (var name in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var path = Join(dir, name);
            if (Excluded(path)) continue;
            var ea = a.GetValueOrDefault(name);
            var eb = b.GetValueOrDefault(name);
            Classify(older, newer, path, ea, eb, found);
            if (ea is { IsDirectory: true } && eb is { IsDirectory: true }) WalkDirectory(older, newer, path, found);
        }
    }

    static void Subtree(ISnapshotTree tree, string dir, FileChangeKind kind, Dictionary<string, FileChangeKind> found)
    {
        foreach (var (name, entry) in tree.List(dir))
        {
            var path = Join(dir, name);
            if (Excluded(path)) continue;
            found[path] = kind;
            if (entry.IsDirectory) Subtree(tree, path, kind, found);
        }
    }

    /// <summary>Equal in the sense of the remarks above.</summary>
    static bool Same(ISnapshotTree older, ISnapshotTree newer, string path, FileEntry a, FileEntry b)
    {
        if (a.Type != b.Type || a.Permissions != b.Permissions || a.Uid != b.Uid || a.Gid != b.Gid) return false;
        switch (a.Type)
        {
            case FileEntry.Regular:
                if (a.Size != b.Size) return false;
                if (a.Ino == b.Ino && a.CtimeNs == b.CtimeNs) return true;
                using (var sa = older.OpenRead(path))
                using (var sb = newer.OpenRead(path))
                    return SameBytes(sa, sb);
            case FileEntry.Symlink:
                return a.LinkTarget == b.LinkTarget;
            case FileEntry.CharDevice or FileEntry.BlockDevice:
                return a.Rdev == b.Rdev;
            default:
                return true;
        }
    }

    static bool SameBytes(Stream a, Stream b)
    {
        var ba = new byte[65536];
        var bb = new byte[65536];
        while (true)
        {
            var na = a.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var nb = b.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb))) return false;
            if (na < ba.Length) return true;
        }
    }

    static IReadOnlyList<FileChange> Sorted(Dictionary<string, FileChangeKind> found) =>
        found.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new FileChange(p.Value, p.Key)).ToList();

    static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;
}
