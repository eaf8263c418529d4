using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Refind;
using Apkgen.Core.Edge;
using NSubstitute;

namespace Apkgen.Refind.Tests;

/// <summary>The writer against real files: a top level made of plain directories and an ESP directory.</summary>
public sealed class RefindWriterTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-refind-w-").FullName;
    string Esp => Path.Combine(_dir, "esp", "EFI", "refind");
    const string Id0 = "20261125182000aaaaaaaa", Id1 = "20261124090000bbbbbbbb";

    LayoutState MakeLayout()
    {
        var top = new TopLevel(Path.Combine(_dir, "top"));
        foreach (var (id, files) in new[] { (Id0, new[] { "vmlinuz-lts", "initramfs-lts", "intel-ucode.img" }), (Id1, new[] { "vmlinuz-lts", "initramfs-lts" }) })
        {
            Directory.CreateDirectory(Path.Combine(top.RootSubvolumePath(id), "boot"));
            foreach (var f in files) File.WriteAllText(Path.Combine(top.RootSubvolumePath(id), "boot", f), f);
        }
        File.WriteAllText(top.FstabTemplatePath, "UUID=swap-uuid none swap defaults 0 0\n");
        Directory.CreateDirectory(Esp);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "refind.conf-sample"), Path.Combine(Esp, "refind.conf"));
        Generation Gen(string id, BootState state) =>
            new(id, new GenerationInfo { Id = id, Created = GenerationId.CreatedAt(id), Command = "apk upgrade", State = state, Kernels = [new("lts", "6.12.1-r0")] }, true, true, true);
        return new LayoutState(top, [Gen(Id0, BootState.Good), Gen(Id1, BootState.Good)],
            new LinksGeneration("l1", [Id0, Id1]), new LinksGeneration("l2", [Id1, Id0]), ["l1", "l2"], false);
    }

    static IBlockDeviceProbe Probe()
    {
        var probe = Substitute.For<IBlockDeviceProbe>();
        probe.Probe("/dev/test2").Returns(new Dictionary<string, string> { ["TYPE"] = "btrfs", ["UUID"] = "fs-uuid", ["PART_ENTRY_NAME"] = "ROOT" });
        return probe;
    }

    /// <summary>Mounts that fail the test when touched: [layout] device names the device, so no mountinfo is read.</summary>
    static IMounts Mounts()
    {
        var mounts = Substitute.For<IMounts>();
        mounts.ReadMountInfo().Returns(_ => throw new Xunit.Sdk.XunitException("mountinfo read although [layout] device names the device"));
        return mounts;
    }

    ApkgenConfig Config(string mode = "trial") => new()
    {
        Layout = new LayoutSection { Device = "/dev/test2" },
        Refind = new RefindSection { Output = Path.Combine(Esp, "apkgen.conf") },
        Bootcheck = new BootcheckSection { Mode = mode == "trial" ? BootcheckMode.Trial : BootcheckMode.Counter },
    };

    [Fact]
    public void Refresh_writes_the_stanzas_trial_conf_and_the_include_and_a_second_refresh_writes_nothing()
    {
        var state = MakeLayout();
        var sample = File.ReadAllBytes(Path.Combine(Esp, "refind.conf"));

        var written = RefindWriter.Refresh(Config(), state, Probe(), Mounts());

        Assert.Equal(["apkgen.conf", "trial.conf", "refind.conf"], written.Select(Path.GetFileName));
        var stanza = File.ReadAllText(Path.Combine(Esp, "apkgen.conf"));
        Assert.Contains("    options \"initrd=\\current\\0\\@\\boot\\intel-ucode.img root=UUID=fs-uuid rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime resume=UUID=swap-uuid quiet\"\n", stanza);
        Assert.Contains("    volume \"ROOT\"\n", stanza);
        var trial = File.ReadAllText(Path.Combine(Esp, "trial.conf"));
        Assert.Contains("    loader /pending/0/@/boot/vmlinuz-lts\n", trial);
        Assert.EndsWith("include apkgen.conf\n", trial);
        var main = File.ReadAllBytes(Path.Combine(Esp, "refind.conf"));
        Assert.Equal(sample, main[..sample.Length]);
        Assert.EndsWith("include apkgen.conf\n", File.ReadAllText(Path.Combine(Esp, "refind.conf")));
        Assert.Equal(["apkgen.conf", "refind.conf", "trial.conf"], Directory.GetFiles(Esp).Select(Path.GetFileName).Order());

        Assert.Empty(RefindWriter.Refresh(Config(), state, Probe(), Mounts()));
        Assert.All(RefindWriter.Plan(Config(), state, Probe(), Mounts(), null), f => Assert.True(f.IsCurrent));
    }

    [Fact]
    public void A_changed_layout_rewrites_only_the_stanza_file()
    {
        var state = MakeLayout();
        RefindWriter.Refresh(Config("counter"), state, Probe(), Mounts());

        var rolledBack = state with { Current = new LinksGeneration("l3", [Id1, Id0]) };
        var plan = RefindWriter.Plan(Config("counter"), rolledBack, Probe(), Mounts(), null);

        Assert.Equal(["apkgen.conf"], plan.Where(f => !f.IsCurrent).Select(f => Path.GetFileName(f.FilePath)));
        Assert.Equal(["apkgen.conf"], RefindWriter.Refresh(Config("counter"), rolledBack, Probe(), Mounts()).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(Esp, "trial.conf")));
    }

    [Fact]
    public void A_top_level_directory_as_device_is_traced_to_its_btrfs_device_through_the_mounts_edge()
    {
        var state = MakeLayout();
        var mounts = Substitute.For<IMounts>();
        mounts.ReadMountInfo().Returns($"36 1 0:32 / {state.Top.TopDirPath} rw,noatime shared:1 - btrfs /dev/test2 rw,subvol=/\n");
        var config = Config() with { Layout = new LayoutSection { Device = state.Top.TopDirPath } };

        var stanzas = RefindWriter.Plan(config, state, Probe(), mounts, null).Single(f => f.Kind == RefindFileKind.Stanzas);

        mounts.Received(1).ReadMountInfo();
        Assert.Contains("    volume \"ROOT\"\n", stanzas.Text);
        Assert.Contains("root=UUID=fs-uuid", stanzas.Text);
    }

    [Fact]
    public void Without_an_output_refresh_does_nothing_and_probes_nothing()
    {
        var state = MakeLayout();
        var probe = Substitute.For<IBlockDeviceProbe>();

        Assert.Empty(RefindWriter.Refresh(new ApkgenConfig(), state, probe, Mounts()));
        probe.DidNotReceiveWithAnyArgs().Probe(default!);
        Assert.Equal(["refind.conf"], Directory.GetFiles(Esp).Select(Path.GetFileName));
    }

    [Fact]
    public void An_output_outside_rEFInds_directory_is_refused_because_include_could_not_reach_it()
    {
        var state = MakeLayout();
        var config = Config() with { Refind = new RefindSection { Output = Path.Combine(_dir, "elsewhere.conf"), MainConfig = Path.Combine(Esp, "refind.conf") } };
        var e = Assert.Throws<Apkgen.Core.ApkgenException>(() => RefindWriter.Plan(config, state, Probe(), Mounts(), null));
        Assert.Contains("not inside rEFInd's directory", e.Message);
    }

    [Fact]
    public void An_atomic_write_replaces_the_file_and_leaves_no_temporary_behind()
    {
        var path = Path.Combine(_dir, "f.conf");
        File.WriteAllText(path, "old");
        AtomicFile.Write(path, "new"u8.ToArray());
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["f.conf"], Directory.GetFileSystemEntries(_dir).Where(File.Exists).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
