using Apkgen.Generations.Boot;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// "A reboot is needed" after real apk changes through the wrapper (apk-tools 2.14.4, or 3.0.6
/// with APKGEN_TEST_APK=3) on a real Alpine root, booted (a mountinfo fixture) from slot 0.
/// </summary>
[Trait("Category", "RealApk")]
public class RealApkRebootTests
{
    [Fact]
    public void Apk_add_of_a_package_and_a_kernel_makes_status_say_a_reboot_is_needed_with_both()
    {
        using var s = RealAlpineSystem.Create();
        var file = RebootRequired.PathFor(s.Disk.Device);
        try
        {
            var booted = s.Slot(0);
            var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
            File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
            var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = "/dev/null" };
            (int Code, string Output) Status(params string[] args) =>
                ApkgenCli.RunApkgen(env, ["--config", s.ConfigPath, "status", .. args]);
            Assert.Equal(1, Status("--reboot-needed").Code);

            var (acode, added) = s.Apk(env, "add", "hello");
            Assert.True(acode == 0, added);
            var (code, status) = Status();
            Assert.True(code == 0, status);
            Assert.Contains($"reboot:   needed: the next boot starts {s.Slot(0)} (slot 0 of current)\n", status);
            Assert.Contains("          + hello-1.0-r0\n", status);
            Assert.DoesNotContain("kernel:", status);
            Assert.Equal(0, Status("--reboot-needed").Code);
            Assert.Equal($"reboot required: running {booted}, the next boot starts {s.Slot(0)}\n", File.ReadAllText(file));
            Assert.Equal("hello\n", File.ReadAllText(file + RebootRequired.PackagesSuffix));

            // The kit's linux-lts as Alpine's is shaped: /boot/vmlinuz-lts, lib/modules/6.6.52-0-lts, mkinitfs.
            var (kcode, kernel) = s.Apk(env, "add", "linux-lts");
            Assert.True(kcode == 0, kernel);
            var (code2, status2) = Status();
            Assert.True(code2 == 0, status2);
            Assert.Contains("          + hello-1.0-r0\n", status2);
            Assert.Contains("          + linux-lts-6.6.52-r0\n", status2);
            Assert.Contains("          + mkinitfs-3.10.1-r0\n", status2);
            var running = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            Assert.Contains($"          kernel: none -> lts 6.6.52-r0 (running {running})\n", status2);
            Assert.Equal("hello\nlinux-lts\nmkinitfs\n", File.ReadAllText(file + RebootRequired.PackagesSuffix));
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + RebootRequired.PackagesSuffix);
        }
    }
}
