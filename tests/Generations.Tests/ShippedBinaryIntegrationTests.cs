using System.Text;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>
/// No environment variable changes what a shipped executable decides (issue 12, case 3): the
/// test-only variables are compiled out of scripts/publish's output, not merely unused.
/// </summary>
public sealed class ShippedBinaryIntegrationTests(ShippedExecutables shipped) : IClassFixture<ShippedExecutables>
{
    static readonly string[] TestOnlyPrefixes = ["APKGEN_TEST_", "APKGEN_FAULT_"];

    [Fact]
    public void The_shipped_executables_contain_no_test_only_variable_name_in_utf8_or_utf16()
    {
        var found = new List<string>();
        foreach (var name in ShippedExecutables.Names)
        {
            var bytes = File.ReadAllBytes(Path.Combine(shipped.DirPath, name));
            foreach (var prefix in TestOnlyPrefixes)
                foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
                    if (bytes.AsSpan().IndexOf(encoding.GetBytes(prefix)) >= 0)
                        found.Add($"{name}: {prefix} ({encoding.WebName})");
            // The search itself works: a name every apkgen binary does read is there.
            if (name == "apkgen")
                Assert.True(bytes.AsSpan().IndexOf("APKGEN_EXEC_PID"u8) >= 0, "the search finds nothing at all: APKGEN_EXEC_PID is missing from apkgen");
        }
        Assert.True(found.Count == 0, "test-only variables in the shipped executables: " + string.Join("; ", found));
    }

    /// <summary>
    /// The booted generation is pushed out of every slot by three changes (two slots), so only
    /// "it is booted" keeps it. The shipped apkgen runs chrooted into that generation, mounted
    /// from the loop device, so its own /proc/self/mountinfo shows it as the root; then
    /// APKGEN_TEST_MOUNTINFO=/proc/1/mountinfo (where the root is not this device) must change
    /// nothing: gc keeps the booted generation.
    /// </summary>
    [Fact]
    public void Apkgen_test_mountinfo_does_not_make_the_shipped_gc_delete_the_booted_generation()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        var root = Path.Combine(top, "@");
        Sh.Run("btrfs", "subvolume", "create", root);
        RootTree.Populate(root);
        // Mount points for the chroot: the host's libraries and tools, the shipped binaries, the config.
        foreach (var d in new[] { "usr", "lib64", "opt/shipped", "mnt/conf" }) Directory.CreateDirectory(Path.Combine(root, d));
        var (initCode, initOutput) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.True(initCode == 0, initOutput);
        var confDir = Path.Combine(disk.ScratchDirPath, "conf");
        Directory.CreateDirectory(confDir);
        var conf = Path.Combine(confDir, "apkgen.conf");
        File.WriteAllText(conf, "[layout]\nlinks = 2\n[gc]\nauto = false\n");
        var bootedGeneration = Slot(top, 0);
        for (var i = 0; i < 3; i++)
            Assert.Equal(0, RunApkgen("--config", conf, "--device", disk.Device, "exec", "--", "/bin/touch", $"/etc/f{i}").Code);
        Assert.DoesNotContain(bootedGeneration, new[] { Slot(top, 0), Slot(top, 1) });

        var newRoot = Path.Combine(disk.ScratchDirPath, "booted-root");
        Directory.CreateDirectory(newRoot);
        var script = string.Join("\n",
            "set -e",
            "mount --make-rprivate /",
            $"mount -o ro,subvol=/snapshots/{bootedGeneration}/@ {disk.Device} {newRoot}",
            $"mount --bind /usr {newRoot}/usr",
            $"mount --bind /usr/lib {newRoot}/lib",
            $"mount --bind /usr/lib64 {newRoot}/lib64",
            $"mount --rbind /dev {newRoot}/dev",
            $"mount -t proc proc {newRoot}/proc",
            $"mount -t tmpfs tmpfs {newRoot}/run",
            $"mount -t tmpfs tmpfs {newRoot}/tmp",
            $"mount --bind {shipped.DirPath} {newRoot}/opt/shipped",
            $"mount --bind {confDir} {newRoot}/mnt/conf",
            // What the shipped apkgen itself sees as its root: this generation of this device.
            $"chroot {newRoot} /usr/bin/grep ' / ' /proc/self/mountinfo",
            $"APKGEN_TEST_MOUNTINFO=/proc/1/mountinfo APKGEN_TEST_CMDLINE=/dev/null PATH=/usr/sbin:/usr/bin chroot {newRoot} /opt/shipped/apkgen --config /mnt/conf/apkgen.conf --device {disk.Device} gc");
        var (code, output) = Sh.Try("unshare", "-m", "sh", "-c", script);
        Assert.Contains($"/snapshots/{bootedGeneration}/@ / ", output);
        Assert.True(Directory.Exists(Path.Combine(top, "snapshots", bootedGeneration, "@")),
            $"gc deleted the booted generation {bootedGeneration}: the shipped apkgen honoured APKGEN_TEST_MOUNTINFO\n{output}");
        Assert.True(code == 0, $"exit {code}:\n{output}");
        // gc did run and delete what nothing keeps (the generation between the booted one and the slots).
        Assert.Contains("deleted", output);
    }

    /// <summary>The C front reads [apk] path for apk's read-only applets before .NET starts: it must not trust an open file either.</summary>
    [Fact]
    public void The_shipped_apk_front_does_not_run_the_apk_path_of_a_configuration_others_may_write()
    {
        var dir = Directory.CreateTempSubdirectory("apkgen-front-").FullName;
        try
        {
            var marker = Path.Combine(dir, "ran");
            var fake = Path.Combine(dir, "fake-apk");
            File.WriteAllText(fake, $"#!/bin/sh\ntouch {marker}\n");
            File.SetUnixFileMode(fake, (UnixFileMode)0x1ED);
            var conf = Path.Combine(dir, "apkgen.conf");
            File.WriteAllText(conf, $"[apk]\npath = {fake}\n");
            File.SetUnixFileMode(conf, (UnixFileMode)0x1B6); // 0666
            var apk = Path.Combine(dir, "apk");
            File.CreateSymbolicLink(apk, Path.Combine(shipped.DirPath, "apkgen"));
            var (code, output) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = conf }, null, apk, "info");
            Assert.False(File.Exists(marker), $"the shipped front ran the [apk] path of a mode 0666 configuration:\n{output}");
            Assert.True(code == ExitCodes.Config, $"exit {code}, expected 78:\n{output}");
            Assert.Contains("refusing the configuration file", output);
            // The same file made safe is used: the refusal is about the mode.
            File.SetUnixFileMode(conf, (UnixFileMode)0x1A4);
            Assert.Equal(0, Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = conf }, null, apk, "info").Code);
            Assert.True(File.Exists(marker), "with mode 0644 the [apk] path did not run");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static string Slot(string top, int n) =>
        Path.GetFileName(new FileInfo(Path.Combine(top, "current", n.ToString())).LinkTarget!);
}
