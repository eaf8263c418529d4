namespace Apkgen.Core.Layout;

/// <summary>
/// The paths of the layout under the btrfs top level (subvolid=5), as in the seed guide:
/// <c>snapshots/&lt;id&gt;/@</c>, <c>links/&lt;lid&gt;/0..N-1</c>, <c>current</c>,
/// <c>next/</c>, <c>fstab</c>, <c>commons/</c>; plus apkgen's <c>pending</c> (trial mode)
/// and its lock file.
/// </summary>
public sealed record TopLevel(string TopDirPath)
{
    /// <summary>Directory of snapshot generations.</summary>
    public string SnapshotsDirPath => Path.Combine(TopDirPath, "snapshots");
    /// <summary>Directory of links generations.</summary>
    public string LinksDirPath => Path.Combine(TopDirPath, "links");
    /// <summary>The one switch: <c>current -&gt; ./links/&lt;lid&gt;</c>.</summary>
    public string CurrentLinkPath => Path.Combine(TopDirPath, "current");
    /// <summary>Trial mode: <c>pending -&gt; ./links/&lt;lid&gt;</c>, committed but not yet booted well.</summary>
    public string PendingLinkPath => Path.Combine(TopDirPath, "pending");
    /// <summary>Where the next <c>current</c> symlink is made before the rename.</summary>
    public string NextDirPath => Path.Combine(TopDirPath, "next");
    /// <summary>The fstab template; <c>CURRENT_SNAPSHOTS_PATH</c> is replaced per generation.</summary>
    public string FstabTemplatePath => Path.Combine(TopDirPath, "fstab");
    /// <summary>Mutable subvolumes that are never snapshotted.</summary>
    public string CommonsDirPath => Path.Combine(TopDirPath, "commons");
    /// <summary>
    /// The global lock (flock). It lives on the filesystem it protects so that every
    /// mount of the same btrfs, in any namespace, sees the same lock; it is never deleted.
    /// </summary>
    public string LockFilePath => Path.Combine(TopDirPath, ".apkgen.lock");

    /// <summary><c>snapshots/&lt;id&gt;</c>.</summary>
    public string SnapshotDirPath(string id) => Path.Combine(SnapshotsDirPath, id);
    /// <summary><c>snapshots/&lt;id&gt;/@</c>, the generation's root subvolume.</summary>
    public string RootSubvolumePath(string id) => Path.Combine(SnapshotsDirPath, id, "@");
    /// <summary><c>snapshots/&lt;id&gt;/generation.ini</c>.</summary>
    public string InfoFilePath(string id) => Path.Combine(SnapshotsDirPath, id, Model.GenerationInfo.FileName);
    /// <summary><c>links/&lt;lid&gt;</c>.</summary>
    public string LinksGenerationDirPath(string lid) => Path.Combine(LinksDirPath, lid);

    /// <summary>The target written into a slot symlink: <c>../../snapshots/&lt;id&gt;</c> (relative, as the guide's).</summary>
    public static string SlotTarget(string id) => "../../snapshots/" + id;
    /// <summary>The target written into <c>current</c>/<c>pending</c>: <c>./links/&lt;lid&gt;</c>.</summary>
    public static string LinksTarget(string lid) => "./links/" + lid;

    /// <summary>
    /// The snapshot id a slot symlink target names (<c>../../snapshots/ID</c>, also absolute
    /// <c>/snapshots/ID</c> or with a trailing slash), or null when it names anything else.
    /// </summary>
    public static string? IdFromSlotTarget(string target) => LastComponentUnder(target, "snapshots");

    /// <summary>The links id that <c>current</c> or <c>pending</c> names (<c>./links/LID</c>), or null.</summary>
    public static string? IdFromLinksTarget(string target) => LastComponentUnder(target, "links");

    static string? LastComponentUnder(string target, string dir)
    {
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        return parts.Length >= 2 && parts[^2] == dir && Model.GenerationId.IsSafeName(parts[^1]) ? parts[^1] : null;
    }
}
