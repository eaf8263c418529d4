namespace Apkgen.Core.Model;

/// <summary>What the running system booted: the generation under <c>/</c> and the root device.</summary>
public sealed record BootedRoot(string? GenerationId, string Source, string SubvolumePath)
{
    /// <summary>
    /// Finds the root mount (the last entry mounted on <c>/</c>). The kernel resolves the
    /// symlinks in <c>subvol=/current/0/@</c> at mount time, so the root field shows
    /// <c>/snapshots/&lt;id&gt;/@</c>; that id is the booted generation. Null when <c>/</c>
    /// is not btrfs.
    /// </summary>
    public static BootedRoot? From(IReadOnlyList<MountEntry> mounts)
    {
        var root = mounts.LastOrDefault(m => m.MountPoint == "/");
        if (root is null || root.FsType != "btrfs") return null;
        var parts = root.Root.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var id = parts.Length == 3 && parts[0] == "snapshots" && parts[2] == "@" ? parts[1] : null;
        return new(id, root.Source, root.Root);
    }
}
