namespace Apkgen.Core.Layout;

/// <summary>The guide's fstab template (<c>TOP/fstab</c>), rendered per generation.</summary>
public static class Fstab
{
    /// <summary>The placeholder the guide's scripts replace.</summary>
    public const string Placeholder = "CURRENT_SNAPSHOTS_PATH";

    /// <summary>The template with the placeholder replaced by <c>/snapshots/&lt;id&gt;</c>, as sysmut's sed does.</summary>
    public static string Render(string template, string id) => template.Replace(Placeholder, "/snapshots/" + id);

    /// <summary>
    /// The btrfs mounts of other subvolumes than the root (the commons): (subvol, mount point).
    /// </summary>
    public static IEnumerable<(string Subvol, string MountPoint)> Commons(string template)
    {
        foreach (var raw in template.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f[2] != "btrfs" || f[1] == "/") continue;
            var subvol = f[3].Split(',').FirstOrDefault(o => o.StartsWith("subvol=", StringComparison.Ordinal))?["subvol=".Length..];
            if (subvol is null || subvol.Contains(Placeholder)) continue;
            yield return (subvol, f[1]);
        }
    }

    /// <summary>
    /// A template for a new layout: the root line with the placeholder, one line per common
    /// (<c>@var@log</c> mounts at <c>/var/log</c>), tmpfs <c>/tmp</c>, and swap if given.
    /// </summary>
    public static string Create(string fsUuid, IEnumerable<string> commons, string? swapUuid)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("# apkgen fstab template: CURRENT_SNAPSHOTS_PATH becomes /snapshots/<id> in each generation's /etc/fstab\n");
        sb.Append($"UUID={fsUuid} / btrfs subvol={Placeholder}/@,ro,noatime 0 0\n");
        foreach (var c in commons)
            sb.Append($"UUID={fsUuid} {c.Replace('@', '/')} btrfs subvol=/commons/{c},rw,noatime 0 0\n");
        sb.Append("tmpfs /tmp tmpfs mode=1777,noatime,nosuid,nodev,size=2G 0 0\n");
        if (swapUuid is not null)
            sb.Append($"UUID={swapUuid} swap swap rw,noatime,discard 0 0\n");
        return sb.ToString();
    }
}
