namespace Apkgen.Generations.Model;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc(5)).</summary>
public sealed record MountEntry(string Root, string MountPoint, string FsType, string Source, string SuperOptions)
{
    /// <summary>
    /// Parses mountinfo text. Fields: id, parent, major:minor, root, mount point, options,
    /// optional fields up to "-", fs type, source, super options; octal escapes (\040) decoded.
    /// </summary>
    public static List<MountEntry> Parse(string text)
    {
        var result = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            var dash = Array.IndexOf(f, "-", 6);
            if (f.Length < 10 || dash < 0 || dash + 3 > f.Length) continue;
            result.Add(new(Unescape(f[3]), Unescape(f[4]), f[dash + 1], Unescape(f[dash + 2]), dash + 3 < f.Length ? f[dash + 3] : ""));
        }
        return result;
    }

    static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s[i + 1] is >= '0' and <= '3')
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}

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

/// <summary>The kernel command line: which slot the boot manager was told to boot.</summary>
public static class KernelCmdline
{
    /// <summary>
    /// The <c>subvol=</c> path from <c>rootflags=</c> (e.g. <c>/current/1/@</c>), or null.
    /// </summary>
    public static string? RootSubvolume(string cmdline)
    {
        foreach (var word in cmdline.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!word.StartsWith("rootflags=", StringComparison.Ordinal)) continue;
            foreach (var opt in word["rootflags=".Length..].Split(','))
                if (opt.StartsWith("subvol=", StringComparison.Ordinal))
                    return opt["subvol=".Length..];
        }
        return null;
    }

    /// <summary>
    /// The slot named by a root subvolume path: <c>/current/N/@</c> gives ("current", N),
    /// <c>/pending/0/@</c> gives ("pending", 0); anything else null.
    /// </summary>
    public static (string Link, int Slot)? Slot(string? subvolume)
    {
        if (subvolume is null) return null;
        var p = subvolume.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return p.Length == 3 && p[0] is "current" or "pending" && p[2] == "@" && int.TryParse(p[1], out var n) && n >= 0
            ? (p[0], n) : null;
    }
}
