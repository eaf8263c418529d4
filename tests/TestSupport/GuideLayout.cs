namespace Apkgen.TestSupport;

/// <summary>
/// Builds the seed guide's layout by hand, with the guide's own commands and in its order
/// ("File system structure", "Base system install"), so tests check that apkgen manages a
/// system set up from the guide without migration. No generation.ini anywhere.
/// </summary>
public static class GuideLayout
{
    /// <summary>The first generation's id and the links id, in the seed's form.</summary>
    public const string SnapshotId = "20210411212549sdBXyLxg";
    /// <summary>The links directory's id.</summary>
    public const string LinksId = "20210411213742qwrXAJBz";

    /// <summary>Creates the layout on a mounted top level.</summary>
    public static void Build(string mnt, int links = 4)
    {
        Directory.CreateDirectory(Path.Combine(mnt, "next"));
        Directory.CreateDirectory(Path.Combine(mnt, "commons"));
        foreach (var c in new[] { "@var@tmp", "@var@cache", "@var@log", "@home" })
            Sh.Run("btrfs", "subvolume", "create", Path.Combine(mnt, "commons", c));
        Directory.CreateDirectory(Path.Combine(mnt, "snapshots"));
        Directory.CreateDirectory(Path.Combine(mnt, "links"));
        Directory.CreateDirectory(Path.Combine(mnt, "snapshots", SnapshotId));
        var root = Path.Combine(mnt, "snapshots", SnapshotId, "@");
        Sh.Run("btrfs", "subvolume", "create", root);
        Directory.CreateDirectory(Path.Combine(mnt, "links", LinksId));
        for (var i = 0; i < links; i++)
            Sh.Run("ln", "-s", "../../snapshots/" + SnapshotId, Path.Combine(mnt, "links", LinksId, i.ToString()));
        Sh.Run("ln", "-s", "./links/" + LinksId, Path.Combine(mnt, "current"));
        var uuid = Sh.Run("blkid", "-o", "value", "-s", "UUID", Sh.Run("findmnt", "-n", "-o", "SOURCE", "--target", mnt).Trim().Split('[')[0]).Trim();
        File.WriteAllText(Path.Combine(mnt, "fstab"), $"""
            UUID={uuid} / btrfs subvol=CURRENT_SNAPSHOTS_PATH/@,ro,noatime 0 0
            UUID={uuid} /var/tmp btrfs subvol=/commons/@var@tmp,rw,noatime 0 0
            UUID={uuid} /var/cache btrfs subvol=/commons/@var@cache,rw,noatime 0 0
            UUID={uuid} /var/log btrfs subvol=/commons/@var@log,rw,noatime 0 0
            UUID={uuid} /home btrfs subvol=/commons/@home,rw,noatime 0 0
            tmpfs /tmp tmpfs mode=1777,noatime,nosuid,nodev,size=2G 0 0

            """);
        // "Base system install": here a busybox tree instead of apk --initdb add alpine-base.
        RootTree.Populate(root);
        File.WriteAllText(Path.Combine(root, "etc/fstab"),
            File.ReadAllText(Path.Combine(mnt, "fstab")).Replace("CURRENT_SNAPSHOTS_PATH", "/snapshots/" + SnapshotId));
        Sh.Run("btrfs", "property", "set", "-ts", root, "ro", "true");
    }
}
