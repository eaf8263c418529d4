using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// What issue 13 found when apkgen met the real apk (2.14.4, or 3.0.6 with APKGEN_TEST_APK=3),
/// each held by a test on a real Alpine root.
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkFindingTests
{
    [Fact]
    public void An_apk_fix_with_nothing_to_fix_makes_no_generation_although_apk_rewrites_its_database()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello").Code);
        var count = s.GenerationCount;
        var slot0 = s.Slot(0);
        foreach (var args in new[] { new[] { "fix" }, ["fix", "hello"] })
        {
            var c = s.CompareWithDirect(args).AssertSameAsDirect();
            Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
            Assert.Contains("altered nothing", c.Wrapped.Output);
            Assert.Equal(count, s.GenerationCount);
            Assert.Equal(slot0, s.Slot(0));
        }
    }

    [Fact]
    public void An_apk_fix_that_restores_a_deleted_file_makes_a_generation()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello").Code);
        var (rcode, removed) = s.Apkgen("exec", "--", "/bin/rm", "/usr/bin/hello");
        Assert.True(rcode == 0, removed);
        Assert.False(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")));
        var before = s.Slot(0);
        var c = s.CompareWithDirect("fix", "hello").AssertSameAsDirect();
        Assert.True(c.Wrapped.Code == 0, c.Wrapped.Output);
        Assert.NotEqual(before, s.Slot(0));
        Assert.True(File.Exists(Path.Combine(s.Slot0Root, "usr/bin/hello")), c.Wrapped.Output);
    }

    [Fact]
    public void An_exec_that_writes_back_what_was_there_makes_no_generation_and_one_that_changes_a_byte_does()
    {
        using var s = RealAlpineSystem.Create();
        var count = s.GenerationCount;
        var (code, output) = s.Apkgen("exec", "--", "/bin/sh", "-c", "cp /etc/hostname /tmp/h && cat /tmp/h > /etc/hostname.new && mv /etc/hostname.new /etc/hostname");
        Assert.True(code == 0, output);
        Assert.Contains("altered nothing", output);
        Assert.Equal(count, s.GenerationCount);
        var (c2, o2) = s.Apkgen("exec", "--", "/bin/sh", "-c", "echo other > /etc/hostname");
        Assert.True(c2 == 0, o2);
        Assert.Equal(count + 1, s.GenerationCount);
    }

    [Fact]
    public void The_commit_hook_under_the_real_apk_with_an_empty_dev_creates_no_file_there()
    {
        using var s = RealAlpineSystem.Create();
        var copy = s.CopyOfSlot0();
        try
        {
            Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(copy, "dev")));
            var (code, output) = RealAlpineSystem.RunRealApk("--root", copy, "add", "hello");
            Assert.True(code == 0, output);
            var devNull = Path.Combine(copy, "dev/null");
            Assert.False(File.Exists(devNull) && !IsCharacterDevice(devNull), $"{devNull} is a regular file: the hook redirected into an empty /dev\n{output}");
        }
        finally
        {
            RealAlpineSystem.DeleteCopy(copy);
        }
    }

    static bool IsCharacterDevice(string path) => Sh.Try("test", "-c", path).Code == 0;

    [Fact]
    public void After_a_change_read_only_applets_show_slot_0_and_say_so_until_the_reboot()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello").Code);
        var (i1, o1) = s.Apk("info", "-e", "hello");
        Assert.True(i1 == 0, $"apk info -e hello after apk add hello exited {i1}:\n{o1}");
        Assert.Contains($"showing generation {s.Slot(0)}", o1);
        Assert.Equal(0, s.Apk("del", "hello").Code);
        var (i2, o2) = s.Apk("info", "-e", "hello");
        Assert.True(i2 != 0, $"apk info -e hello after apk del hello exited 0:\n{o2}");
        var (i3, o3) = s.Apk("info");
        Assert.True(i3 == 0, o3);
        Assert.Contains("busybox", o3);
        Assert.DoesNotContain("hello", o3.Replace($"showing generation", ""));
        // Another configuration (another layout) is not concerned: apk reads its live root as always.
        var other = Path.Combine(s.Disk.ScratchDirPath, "other.conf");
        File.WriteAllText(other, $"[layout]\ndevice = /dev/apkgen-no-such-device\n[apk]\npath = {RealAlpineSystem.RealApk}\n");
        var (_, o4) = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = other }, null, ApkgenCli.ApkLink(), "--root", s.Slot0Root, "info");
        Assert.DoesNotContain("showing generation", o4);
    }

    [Fact]
    public void After_a_change_a_user_who_is_not_root_sees_the_running_root_and_is_told_it_is_not_the_next_boot()
    {
        using var s = RealAlpineSystem.Create();
        Assert.Equal(0, s.Apk("add", "hello").Code);
        // The same configuration (so the same device and switch marker) where nobody can read it.
        var dir = Directory.CreateTempSubdirectory("apkgen-nonroot-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
            var config = Path.Combine(dir, "apkgen.conf");
            File.Copy(s.ConfigPath, config);
            File.SetUnixFileMode(config, (UnixFileMode)Convert.ToInt32("644", 8));
            string[] nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
            var wrapped = Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = config }, null, "setpriv", [.. nobody, ApkgenCli.ApkLink(), "info", "-e", "hello"]);
            var direct = Sh.TryIn(null, null, "setpriv", [.. nobody, RealAlpineSystem.RealApk, "info", "-e", "hello"]);
            Assert.Contains("this shows the running root, not it (run as root to see slot 0)", wrapped.Output);
            Assert.DoesNotContain("showing generation", wrapped.Output);
            // What it shows is the running root's answer, exactly as the real apk gives it to that user.
            Assert.True(wrapped.Code == direct.Code, $"as nobody the wrapper exited {wrapped.Code}, the real apk {direct.Code}:\n{wrapped.Output}\n--- real apk:\n{direct.Output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Simulate_runs_on_the_read_only_root_without_a_snapshot_as_apk_takes_no_lock_for_it()
    {
        using var s = RealAlpineSystem.Create();
        // The facts the wrapper relies on: both apks simulate on a read-only root, and refuse a real change there.
        var (scode, soutput) = RealAlpineSystem.RunRealApk("--root", s.Slot0Root, "add", "--simulate", "hello");
        Assert.True(scode == 0, soutput);
        Assert.Contains("Installing hello", soutput);
        var (acode, aoutput) = RealAlpineSystem.RunRealApk("--root", s.Slot0Root, "add", "hello");
        Assert.Equal(99, acode);
        Assert.Contains("Read-only file system", aoutput);
        var count = s.GenerationCount;
        var (code, output) = s.Apk("add", "-s", "world-dep");
        Assert.True(code == 0, output);
        Assert.Contains("Installing world-dep", output);
        Assert.DoesNotContain("discarded", output);
        Assert.Equal(count, s.GenerationCount);
    }

    [Fact]
    public void On_a_committed_generation_the_real_apk_fails_at_its_lock_before_any_hook_as_the_docs_say()
    {
        using var s = RealAlpineSystem.Create();
        // The real apk on the read-only generation itself (what /sbin/apk does on a booted apkgen system).
        var (code, output) = RealAlpineSystem.RunRealApk("--root", s.Slot0Root, "add", "hello");
        Assert.Equal(99, code);
        Assert.Contains(AlpineKit.ApkVersion == 3 ? "Unable to open log: Read-only file system" : "Unable to lock database: Read-only file system", output);
        Assert.DoesNotContain("apkgen", output);
        var readme = File.ReadAllText(Path.Combine(Sh.RepoRoot, "README.md"));
        var man = File.ReadAllText(Path.Combine(Sh.RepoRoot, "doc/apkgen.8.scd"));
        foreach (var doc in new[] { readme, man })
            Assert.Contains("Unable to lock database: Read-only file system", System.Text.RegularExpressions.Regex.Replace(doc, @"[\s*`]+", " ").Replace("ERROR: ", ""));
    }
}
