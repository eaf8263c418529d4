using Apkgen.Core.Boot;
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

    /// <summary>
    /// A signed repository with one package, svc-test 1.0-r0, that owns
    /// /etc/init.d/apkgen-test-svc: made as the kit makes its packages (scripts/alpine-kit-build:
    /// abuild-tar --hash, the control part cut and signed with the kit's key, apk-index),
    /// since the kit has no package with an OpenRC service.
    /// </summary>
    static string ServiceRepository(string dir)
    {
        const string script = """
            set -eu
            kit=$1 out=$2
            EPOCH=1727049600
            work=$out/work
            data=$work/data control=$work/control
            mkdir -p "$data/etc/init.d" "$control" "$out/x86_64"
            printf '#!/sbin/openrc-run\ndescription="apkgen test service"\n' >"$data/etc/init.d/apkgen-test-svc"
            chmod 755 "$data/etc/init.d/apkgen-test-svc"
            apk_tar() {
            	tar --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,atime:=0,ctime:=0             		--mtime="@$EPOCH" --no-recursion --null -f - -c "$@"
            }
            (cd "$data" && find etc -exec touch -h -d "@$EPOCH" {} + && find etc -print0 | LC_ALL=C sort -z |
            	apk_tar -T - --owner=root:0 --group=root:0 | "$kit/bin/abuild-tar" --hash | gzip -n -9 >"$control/data.tar.gz")
            cat >"$control/.PKGINFO" <<EOF
            pkgname = svc-test
            pkgver = 1.0-r0
            pkgdesc = An OpenRC service (apkgen reboot test package)
            url = https://example.invalid/apkgen-kit
            builddate = $EPOCH
            packager = apkgen test kit <kit@example.invalid>
            size = 58
            arch = x86_64
            origin = svc-test
            maintainer = apkgen test kit <kit@example.invalid>
            license = MIT
            datahash = $(sha256sum "$control/data.tar.gz" | cut -f1 -d' ')
            EOF
            touch -h -d "@$EPOCH" "$control/.PKGINFO"
            (cd "$control" && printf .PKGINFO | tr ' ' '\0' | apk_tar --owner=0 --group=0 --numeric-owner -T - |
            	"$kit/bin/abuild-tar" --cut | gzip -n -9 >control.tar.gz &&
            	SOURCE_DATE_EPOCH=$EPOCH "$kit/bin/abuild-sign" "$(ls "$kit"/keys/*.rsa | head -n 1)" control.tar.gz &&
            	cat control.tar.gz data.tar.gz >"$out/x86_64/svc-test-1.0-r0.apk")
            rm -rf "$work"
            "$kit/bin/apk-index" "$out/x86_64" "apkgen reboot test"
            """;
        var (code, output) = Sh.Try("sh", "-c", script, "sh", AlpineKit.Dir, dir);
        if (code != 0) throw new InvalidOperationException($"making the svc-test repository failed (exit {code}):\n{output}");
        return dir;
    }

    [Fact]
    public void Apk_add_of_a_package_with_an_openrc_service_makes_status_name_the_service()
    {
        using var s = RealAlpineSystem.Create();
        var file = RebootRequired.PathFor(s.Disk.Device);
        try
        {
            var repo = ServiceRepository(Path.Combine(s.Disk.ScratchDirPath, "svc-repo"));
            var booted = s.Slot(0);
            var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
            File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
            var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = "/dev/null" };
            var (acode, added) = s.Apk(env, "add", "-X", repo, "svc-test");
            Assert.True(acode == 0, added);
            Assert.True(File.Exists(Path.Combine(s.Slot0Root, "etc/init.d/apkgen-test-svc")), added);
            var (code, status) = ApkgenCli.RunApkgen(env, "--config", s.ConfigPath, "status");
            Assert.True(code == 0, status);
            Assert.Contains("          + svc-test-1.0-r0\n", status);
            Assert.Contains("          services: apkgen-test-svc (their packages change)\n", status);
            var (jcode, json) = ApkgenCli.RunApkgen(env, "--config", s.ConfigPath, "status", "--json");
            Assert.True(jcode == 0, json);
            Assert.Contains("\"services\": [\n      \"apkgen-test-svc\"\n    ]", json);
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + RebootRequired.PackagesSuffix);
        }
    }

    [Fact]
    public void After_a_rollback_to_the_running_generation_a_user_who_is_not_root_gets_no_note()
    {
        using var s = RealAlpineSystem.Create();
        var booted = s.Slot(0);
        var mountinfo = Path.Combine(s.Disk.ScratchDirPath, "mountinfo");
        File.WriteAllText(mountinfo, $"22 1 0:30 /snapshots/{booted}/@ / ro - btrfs {s.Disk.Device} rw,subvol=/snapshots/{booted}/@\n");
        var env = new Dictionary<string, string> { ["APKGEN_TEST_MOUNTINFO"] = mountinfo, ["APKGEN_TEST_CMDLINE"] = "/dev/null" };
        Assert.Equal(0, s.Apk(env, "add", "hello").Code);
        var dir = Directory.CreateTempSubdirectory("apkgen-nonroot-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
            var config = Path.Combine(dir, "apkgen.conf");
            File.Copy(s.ConfigPath, config);
            File.SetUnixFileMode(config, (UnixFileMode)Convert.ToInt32("644", 8));
            (int Code, string Output) InfoAsNobody() => Sh.TryIn(new Dictionary<string, string> { ["APKGEN_CONFIG"] = config }, null, "setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", ApkgenCli.ApkLink(), "info", "-e", "hello"]);
            Assert.Contains("this shows the running root, not it", InfoAsNobody().Output);
            var (rcode, routput) = ApkgenCli.RunApkgen(env, "--config", s.ConfigPath, "rollback");
            Assert.True(rcode == 0, routput);
            Assert.True(File.Exists(s.SwitchMarker), "the rollback is a switch: the marker stays");
            var after = InfoAsNobody();
            Assert.DoesNotContain("apkgen: note", after.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
