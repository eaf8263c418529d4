using System.Globalization;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using Apkgen.Core.Refind;

namespace Apkgen.Refind.Tests;

/// <summary>
/// Discovery against a real GPT disk image. Partition nodes cannot be made here (losetup -P
/// creates no loopNpM, not even in sysfs), so partition 2 is mapped with
/// <c>losetup -o OFFSET --sizelimit SIZE</c>. blkid -p on that device sees the btrfs
/// (LABEL, UUID) but no partition entry; the whole-disk device shows only PTTYPE/PTUUID.
/// Discovery then reads the image's GPT entry at that offset (the loop's backing_file and
/// offset in sysfs) for the partition name and GUID.
/// </summary>
public sealed class LoopDiscoveryTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-refind-").FullName;
    readonly List<string> _loops = [];
    static readonly BlockDeviceProbe Blkid = new(new ProcessRunner());

    string Image => Path.Combine(_dir, "disk.img");

    (long FirstLba, long Sectors, string PartGuid) MakeDisk(string partitionName)
    {
        Shell.RequireRoot("loop devices and mkfs.btrfs");
        Shell.Run("truncate", "-s", "300M", Image);
        Shell.Run("sgdisk", "-n1:2048:+32M", "-t1:ef00", "-c1:EFI", "-n2:0:+200M", "-t2:8300", $"-c2:{partitionName}", Image);
        var info = Shell.Run("sgdisk", "-i2", Image).Split('\n');
        string Field(string name) => info.Single(l => l.StartsWith(name, StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        var first = long.Parse(Field("First sector:").Split(' ')[0], CultureInfo.InvariantCulture);
        var sectors = long.Parse(Field("Partition size:").Split(' ')[0], CultureInfo.InvariantCulture);
        return (first, sectors, Field("Partition unique GUID:").ToLowerInvariant());
    }

    string Attach(params string[] args)
    {
        var dev = Shell.Run(["losetup", "-f", "--show", .. args, Image]).Trim();
        _loops.Add(dev);
        return dev;
    }

    static string BtrfsFsid(string dev) =>
        Shell.Run("btrfs", "inspect-internal", "dump-super", dev).Split('\n')
            .Single(l => l.StartsWith("fsid", StringComparison.Ordinal)).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1];

    [Fact]
    public void The_partition_name_partuuid_label_and_fs_uuid_are_found_on_a_real_gpt_image()
    {
        var (first, sectors, partGuid) = MakeDisk("ROOT");
        var dev = Attach("-o", (first * 512).ToString(CultureInfo.InvariantCulture), "--sizelimit", (sectors * 512).ToString(CultureInfo.InvariantCulture));
        Shell.Run("mkfs.btrfs", "-q", "-f", "-L", "alpine-root", dev);

        var raw = Blkid.Probe(dev);
        Assert.Equal("btrfs", raw["TYPE"]);
        Assert.False(raw.ContainsKey("PART_ENTRY_NAME"), "blkid now reports the partition entry of an offset loop: the GPT fallback may be unneeded");

        var ids = RefindDiscovery.Probe(dev, Blkid);

        Assert.Equal(new RefindDiscovery.DeviceIds("ROOT", "alpine-root", partGuid, BtrfsFsid(dev)), ids);
        Assert.Equal("ROOT", RefindDiscovery.Target(new RefindSection(), dev, "", Blkid).Volume);
        Assert.Equal("UUID=" + BtrfsFsid(dev), RefindDiscovery.Target(new RefindSection(), dev, "", Blkid).Root);
    }

    [Fact]
    public void Without_a_partition_name_the_label_and_then_the_partuuid_become_the_volume()
    {
        var (first, sectors, partGuid) = MakeDisk("");
        var dev = Attach("-o", (first * 512).ToString(CultureInfo.InvariantCulture), "--sizelimit", (sectors * 512).ToString(CultureInfo.InvariantCulture));
        Shell.Run("mkfs.btrfs", "-q", "-f", "-L", "alpine-root", dev);
        Assert.Equal("alpine-root", RefindDiscovery.Target(new RefindSection(), dev, "", Blkid).Volume);

        Shell.Run("btrfs", "filesystem", "label", dev, "");
        Assert.Equal(partGuid, RefindDiscovery.Target(new RefindSection(), dev, "", Blkid).Volume);
    }

    [Fact]
    public void The_whole_disk_shows_only_the_partition_table_and_the_gpt_reader_agrees_with_sgdisk()
    {
        var (first, sectors, partGuid) = MakeDisk("ROOT");
        var whole = Attach();

        var raw = Blkid.Probe(whole);
        Assert.Equal("gpt", raw["PTTYPE"]);
        Assert.False(raw.ContainsKey("PART_ENTRY_NAME"));

        using var image = File.OpenRead(Image);
        var parts = GptReader.Read(image);
        Assert.Equal(["EFI", "ROOT"], parts.Select(p => p.Name));
        Assert.Equal(new GptPartition(2, first, first + sectors - 1, "ROOT", partGuid), parts[1]);
    }

    public void Dispose()
    {
        // Detach every loop device even if one detach fails; the image goes with the directory.
        var failures = new List<string>();
        foreach (var dev in _loops)
        {
            try { Shell.Run("losetup", "-d", dev); }
            catch (Exception e) { failures.Add(e.Message); }
        }
        Directory.Delete(_dir, recursive: true);
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
