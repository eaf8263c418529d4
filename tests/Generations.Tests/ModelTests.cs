using Apkgen.Core.Model;

namespace Apkgen.Generations.Tests;

public class ModelTests
{
    [Fact]
    public void Generations_made_in_one_second_sort_after_their_parents_whatever_their_random_suffix()
    {
        // Three changes in one second, each stacked on the last: z.. then a.. then m...
        var made = new List<(string Id, string? Parent)>
        {
            ("20261125120000zzzzZZZZ", "20261125115959qqqqQQQQ"),
            ("20261125120000aaaaAAAA", "20261125120000zzzzZZZZ"),
            ("20261125120000mmmmMMMM", "20261125120000aaaaAAAA"),
            ("20261125115959qqqqQQQQ", null),
            ("20261125120001bbbbBBBB", "20261125120000mmmmMMMM"),
        };
        var sorted = made.ToList();
        GenerationOrder.Sort(sorted, g => g.Id, g => g.Parent);
        Assert.Equal(["20261125115959qqqqQQQQ", "20261125120000zzzzZZZZ", "20261125120000aaaaAAAA",
            "20261125120000mmmmMMMM", "20261125120001bbbbBBBB"], sorted.Select(g => g.Id));
    }

    [Fact]
    public void Unrelated_generations_of_one_second_and_hand_named_ones_still_sort_the_same_on_every_read()
    {
        var made = new List<(string Id, string? Parent)>
        {
            ("20261125120000bbbbBBBB", "20261125110000xxxxXXXX"),
            ("my-root", null),
            ("20261125120000aaaaAAAA", "20261125110000xxxxXXXX"),
            ("20261125110000xxxxXXXX", null),
            ("20261125130000ccccCCCC", "20261125130000ddddDDDD"), // a cycle, by hand-editing
            ("20261125130000ddddDDDD", "20261125130000ccccCCCC"),
        };
        var once = made.ToList();
        var again = made.AsEnumerable().Reverse().ToList();
        GenerationOrder.Sort(once, g => g.Id, g => g.Parent);
        GenerationOrder.Sort(again, g => g.Id, g => g.Parent);
        Assert.Equal(["20261125110000xxxxXXXX", "20261125120000aaaaAAAA", "20261125120000bbbbBBBB",
            "20261125130000ccccCCCC", "20261125130000ddddDDDD", "my-root"],
            once.Select(g => g.Id));
        Assert.Equal(once, again);
    }

    [Fact]
    public void A_generation_ini_survives_a_render_and_parse_round_trip()
    {
        var info = new GenerationInfo
        {
            Id = "20261125181233abcdEFGH",
            Parent = "20261120100000xyzwXYZW",
            Created = new DateTime(2026, 11, 25, 18, 12, 33, DateTimeKind.Utc),
            Command = "apk add nginx",
            Packages = new PackageChanges([new("nginx", "1.26.2-r0")], [new("old", "1-r0")], [new("musl", "1.2.4-r0", "1.2.5-r0")], []),
            WorldAdded = ["nginx"],
            Kernels = [new("lts", "6.6.30-r0")],
            State = BootState.Pending,
            AttemptsLeft = 3,
            Pinned = true,
        };
        var text = info.Render();
        Assert.Contains("upgraded = musl=1.2.4-r0>1.2.5-r0", text);
        Assert.Contains("[kernels]\nlts = 6.6.30-r0\n", text);
        var back = GenerationInfo.Parse(info.Id, text);
        Assert.Equal(info.Render(), back.Render());
        Assert.Equal(BootState.Pending, back.State);
        Assert.Equal(3, back.AttemptsLeft);
        Assert.True(back.Pinned);
        Assert.Equal("nginx", back.Packages.Added[0].Name);
    }

    [Fact]
    public void A_generation_without_metadata_is_good_and_dated_from_its_id()
    {
        var info = GenerationInfo.Implicit("20210411212549sdBXyLxg");
        Assert.Equal(BootState.Good, info.State);
        Assert.Equal(new DateTime(2021, 4, 11, 21, 25, 49, DateTimeKind.Utc), info.Created);
        Assert.Equal("made by hand (no apkgen metadata)", info.Describe());
    }

    [Fact]
    public void An_unknown_boot_state_is_a_format_error_naming_the_key()
    {
        var e = Assert.Throws<FormatException>(() => GenerationInfo.Parse("x", "[boot]\nstate = maybe\n"));
        Assert.Contains("[boot] state", e.Message);
    }

    [Fact]
    public void Ids_have_the_seeds_form()
    {
        var id = GenerationId.New(new DateTime(2021, 4, 11, 21, 25, 49, DateTimeKind.Utc), new Random(1));
        Assert.StartsWith("20210411212549", id);
        Assert.True(GenerationId.IsSeedForm(id));
        Assert.False(GenerationId.IsSeedForm("2021041121254"));
        Assert.False(GenerationId.IsSafeName(".."));
        Assert.False(GenerationId.IsSafeName("a/b"));
    }

    [Fact]
    public void The_installed_database_is_read_in_apks_format()
    {
        const string installed = """
            C:Q1abc=
            P:musl
            V:1.2.5-r0
            A:x86_64
            F:lib
            R:ld-musl-x86_64.so.1

            C:Q1def=
            P:busybox
            V:1.36.1-r29
            A:x86_64

            """;
        var db = PackageDb.ParseInstalled(installed);
        Assert.Equal(2, db.Count);
        Assert.Equal("1.2.5-r0", db["musl"]);
        Assert.Equal("1.36.1-r29", db["busybox"]);
        Assert.Equal(["alpine-base", "nginx>1.2"], PackageDb.ParseWorld("alpine-base\nnginx>1.2\n").ToArray());
    }

    [Fact]
    public void Package_changes_tell_upgrades_from_downgrades()
    {
        var before = new Dictionary<string, string> { ["a"] = "1.0-r0", ["b"] = "2.0-r0", ["c"] = "1.0_rc1-r0", ["gone"] = "1-r0" };
        var after = new Dictionary<string, string> { ["a"] = "1.0-r1", ["b"] = "1.9-r5", ["c"] = "1.0-r0", ["new"] = "3-r0" };
        var ch = PackageChanges.Between(before, after);
        Assert.Equal(["new-3-r0"], ch.Added.Select(p => p.ToString()));
        Assert.Equal(["gone-1-r0"], ch.Removed.Select(p => p.ToString()));
        Assert.Equal(["a", "c"], ch.Upgraded.Select(c => c.Name));
        Assert.Equal(["b"], ch.Downgraded.Select(c => c.Name));
        Assert.Equal("1 added, 1 removed, 2 upgraded, 1 downgraded", ch.Summary());
    }

    [Theory]
    [InlineData("1.0", "1.1", -1)]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("1.0-r1", "1.0-r0", 1)]
    [InlineData("1.0_rc1", "1.0", -1)]
    [InlineData("1.0_p1", "1.0", 1)]
    [InlineData("1.0_alpha", "1.0_beta", -1)]
    [InlineData("2.0", "2.0", 0)]
    [InlineData("6.6.30-r0", "6.6.31-r0", -1)]
    public void Versions_compare_in_apks_order(string a, string b, int sign) =>
        Assert.Equal(sign, Math.Sign(ApkVersion.Compare(a, b)));

    [Fact]
    public void The_booted_generation_comes_from_the_root_mount_in_mountinfo()
    {
        const string mountinfo = """
            22 1 0:30 /snapshots/20210411212549sdBXyLxg/@ / ro,noatime shared:1 - btrfs /dev/sda2 rw,space_cache=v2,subvolid=257,subvol=/snapshots/20210411212549sdBXyLxg/@
            23 22 0:5 / /dev rw,nosuid - devtmpfs devtmpfs rw
            24 22 0:30 /commons/@var@log /var/log rw,noatime shared:2 - btrfs /dev/sda2 rw,subvol=/commons/@var@log
            """;
        var booted = BootedRoot.From(MountEntry.Parse(mountinfo));
        Assert.NotNull(booted);
        Assert.Equal("20210411212549sdBXyLxg", booted.GenerationId);
        Assert.Equal("/dev/sda2", booted.Source);
    }

    [Fact]
    public void A_root_that_is_not_btrfs_is_not_a_booted_generation() =>
        Assert.Null(BootedRoot.From(MountEntry.Parse("22 1 8:1 / / rw - ext4 /dev/vda rw\n")));

    [Theory]
    [InlineData("root=UUID=x rootfstype=btrfs rootflags=subvol=/current/1/@,ro,noatime quiet", "current", 1)]
    [InlineData("rootflags=ro,subvol=/pending/0/@ initrd=\\pending\\0\\@\\boot\\initramfs-lts", "pending", 0)]
    public void The_kernel_command_line_names_the_slot(string cmdline, string link, int slot)
    {
        var s = KernelCmdline.Slot(KernelCmdline.RootSubvolume(cmdline));
        Assert.Equal((link, slot), s);
    }

    [Fact]
    public void A_kernel_command_line_without_a_slot_names_none() =>
        Assert.Null(KernelCmdline.Slot(KernelCmdline.RootSubvolume("root=/dev/sda2 rootflags=subvol=@")));
}
