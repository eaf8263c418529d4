namespace Apkgen.Core.Model;

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
