using System.Text.Json;
using Apkgen.Core.Boot;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary>
/// "A reboot is needed" through the apkgen and apkgen-bootcheck executables on real loop
/// btrfs: the booted generation is faked with a mountinfo fixture (test builds only), and
/// /run/apkgen/reboot-required@DEVICE is the file of the configured device.
/// </summary>
public sealed class RebootRequiredIntegrationTests : IDisposable
{
    readonly LoopBtrfs _disk;
    readonly string _top;
    readonly string _mountinfo;
    readonly Dictionary<string, string> _env;

    public RebootRequiredIntegrationTests()
    {
        Sh.RequireRoot();
        _disk = LoopBtrfs.Create();
        _top = _disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(_top, "@"));
        RootTree.Populate(Path.Combine(_top, "@"));
        _mountinfo = Path.Combine(_disk.ScratchDirPath, "mountinfo");
        File.WriteAllText(_mountinfo, "22 1 0:30 / / rw - ext4 /dev/vda1 rw\n");
        _env = new() { ["APKGEN_TEST_MOUNTINFO"] = _mountinfo, ["APKGEN_TEST_CMDLINE"] = "/dev/null" };
    }

    string FilePath => RebootRequired.PathFor(_disk.Device);

    string Slot(int n) => Path.GetFileName(new FileInfo(Path.Combine(_top, "current", n.ToString())).LinkTarget!);

    void Boot(string id) =>
        File.WriteAllText(_mountinfo, $"22 1 0:30 /snapshots/{id}/@ / ro,noatime shared:1 - btrfs {_disk.Device} rw,subvol=/snapshots/{id}/@\n");

    (int Code, string Output) Apkgen(params string[] args) => RunApkgen(_env, ["--device", _disk.Device, .. args]);

    (int Code, string Output) Bootcheck(params string[] args) =>
        Sh.TryIn(new Dictionary<string, string>(_env) { ["APKGEN_TEST_RUNDIR"] = Path.Combine(_disk.ScratchDirPath, "run") }, null,
            "dotnet", [BuildOutput("BootCheck", "apkgen-bootcheck"), "--device", _disk.Device, .. args]);

    void Init()
    {
        var (code, output) = Apkgen("init", "--adopt", "@");
        Assert.True(code == 0, output);
    }

    /// <summary>A change that installs nginx (with its init script) and upgrades musl, as the Diff test writes a database.</summary>
    void ChangePackages()
    {
        var (code, output) = Apkgen("exec", "--", "/bin/sh", "-c",
            "printf 'P:busybox\\nV:1.36.1-r0\\n\\nP:musl\\nV:1.2.6-r0\\n\\nP:nginx\\nV:1.26.2-r0\\nF:etc/init.d\\nR:nginx\\n\\n' > /lib/apk/db/installed; mkdir -p /etc/init.d; touch /etc/init.d/nginx");
        Assert.True(code == 0, output);
    }

    [Fact]
    public void After_init_from_a_root_that_is_no_generation_a_reboot_is_needed_with_nothing_to_compare()
    {
        Init();
        Assert.True(File.Exists(FilePath), $"{FilePath} missing after init");
        Assert.Equal($"reboot required: the running root is not a generation of this layout; the next boot starts {Slot(0)}\n", File.ReadAllText(FilePath));
        var (code, status) = Apkgen("status");
        Assert.True(code == 0, status);
        Assert.Contains($"reboot:   needed: the next boot starts {Slot(0)} (slot 0 of current)", status);
        Assert.Contains("the running root is not a generation of this layout: nothing to compare", status);
        Assert.Equal(0, Apkgen("status", "--reboot-needed").Code);
    }

    [Fact]
    public void A_change_needs_a_reboot_that_status_the_file_and_the_exit_code_tell_until_a_rollback_to_the_booted_one()
    {
        Init();
        var booted = Slot(0);
        Boot(booted);
        // Slot 0 booted: no reboot; the boot check removes what init wrote before "the reboot".
        var (bcode, boutput) = Bootcheck("boot");
        Assert.True(bcode == 0, boutput);
        Assert.False(File.Exists(FilePath), $"{FilePath} left after a boot into slot 0:\n{boutput}");
        var (ncode, noutput) = Apkgen("status", "--reboot-needed");
        Assert.True(ncode == 1 && noutput.Length == 0, $"exit {ncode}: {noutput}");
        Assert.Contains("reboot:   not needed", Apkgen("status").Output);

        ChangePackages();
        var next = Slot(0);
        Assert.NotEqual(booted, next);
        Assert.Equal($"reboot required: running {booted}, the next boot starts {next}\n", File.ReadAllText(FilePath));
        Assert.Equal("alpine-baselayout\nmusl\nnginx\n", File.ReadAllText(FilePath + RebootRequired.PackagesSuffix));
        var (ycode, youtput) = Apkgen("status", "--reboot-needed");
        Assert.True(ycode == 0 && youtput.Length == 0, $"exit {ycode}: {youtput}");
        var (scode, status) = Apkgen("status");
        Assert.True(scode == 0, status);
        Assert.Contains($"reboot:   needed: the next boot starts {next} (slot 0 of current)\n", status);
        Assert.Contains("          + nginx-1.26.2-r0\n", status);
        Assert.Contains("          - alpine-baselayout-3.6.5-r0\n", status);
        Assert.Contains("          ^ musl 1.2.5-r0 -> 1.2.6-r0\n", status);
        Assert.Contains("          services: nginx (their packages change)\n", status);
        Assert.DoesNotContain("kernel:", status);

        var (rcode, routput) = Apkgen("rollback");
        Assert.True(rcode == 0, routput);
        Assert.Equal(booted, Slot(0));
        Assert.False(File.Exists(FilePath), $"{FilePath} left after a rollback to the booted generation");
        Assert.False(File.Exists(FilePath + RebootRequired.PackagesSuffix));
        Assert.Equal(1, Apkgen("status", "--reboot-needed").Code);
    }

    [Fact]
    public void A_rollback_below_the_booted_generation_needs_a_reboot_that_says_it_goes_back()
    {
        Init();
        var first = Slot(0);
        ChangePackages();
        var second = Slot(0);
        Boot(second);
        Assert.Equal(1, Apkgen("status", "--reboot-needed").Code);
        var (rcode, routput) = Apkgen("rollback");
        Assert.True(rcode == 0, routput);
        Assert.Equal($"reboot required: running {second}, the next boot starts {first} (older: a rollback)\n", File.ReadAllText(FilePath));
        var status = Apkgen("status").Output;
        Assert.Contains($"reboot:   needed: the next boot starts {first} (slot 0 of current), older than the running one: a rollback", status);
        Assert.Contains("          - nginx-1.26.2-r0\n", status);
        Assert.Contains("          v musl 1.2.6-r0 -> 1.2.5-r0\n", status);
        Assert.Contains("          services: nginx (their packages change)\n", status);
    }

    [Fact]
    public void A_boot_from_a_fallback_slot_makes_the_boot_check_write_the_file()
    {
        Init();
        var first = Slot(0);
        ChangePackages();
        var second = Slot(0);
        Boot(first); // picked by hand from rEFInd's menu: slot 1
        File.Delete(FilePath); // a reboot empties /run
        var (code, output) = Bootcheck("boot");
        Assert.True(code == 0, output);
        Assert.Equal($"reboot required: running {first}, the next boot starts {second}\n", File.ReadAllText(FilePath));
    }

    [Fact]
    public void Status_json_says_whether_a_reboot_is_needed_and_what_it_changes()
    {
        Init();
        var booted = Slot(0);
        Boot(booted);
        using (var none = JsonDocument.Parse(Apkgen("status", "--json").Output))
        {
            Assert.False(none.RootElement.GetProperty("reboot_needed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("reboot").ValueKind);
            Assert.Equal(booted, none.RootElement.GetProperty("booted").GetString());
            Assert.Equal(booted, none.RootElement.GetProperty("next_boot").GetString());
        }
        ChangePackages();
        var (code, output) = Apkgen("status", "--json");
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("reboot_needed").GetBoolean());
        Assert.Equal(Slot(0), root.GetProperty("next_boot").GetString());
        Assert.False(root.GetProperty("next_boot_is_trial").GetBoolean());
        Assert.Equal(FilePath, root.GetProperty("reboot_required_file").GetString());
        var reboot = root.GetProperty("reboot");
        Assert.Equal(booted, reboot.GetProperty("booted").GetString());
        Assert.Equal(Slot(0), reboot.GetProperty("next").GetString());
        Assert.False(reboot.GetProperty("trial").GetBoolean());
        Assert.False(reboot.GetProperty("rollback").GetBoolean());
        Assert.True(reboot.GetProperty("changes_known").GetBoolean());
        var packages = reboot.GetProperty("packages");
        Assert.Equal(["nginx-1.26.2-r0"], packages.GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["musl 1.2.5-r0 -> 1.2.6-r0"], packages.GetProperty("upgraded").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["alpine-baselayout-3.6.5-r0"], packages.GetProperty("removed").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(packages.GetProperty("downgraded").EnumerateArray());
        var kernel = reboot.GetProperty("kernel");
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), kernel.GetProperty("running").GetString());
        Assert.Equal(JsonValueKind.Null, kernel.GetProperty("next").ValueKind);
        Assert.False(kernel.GetProperty("changes").GetBoolean());
        Assert.Equal(["nginx"], reboot.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void As_a_user_other_than_root_reboot_needed_answers_from_the_file()
    {
        Init();
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1ED); // 0755: nobody reaches the config
            var conf = Path.Combine(dir, "apkgen.conf");
            File.WriteAllText(conf, $"[layout]\ndevice = {_disk.Device}\n");
            var home = Path.Combine(dir, "home");
            Directory.CreateDirectory(home);
            Sh.Run("chown", "65534:65534", home);
            var env = new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home };
            (int, string) AsNobody() => Sh.TryIn(env, null, "setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", BuildOutput("Hooks", "apkgen"), "--config", conf, "status", "--reboot-needed"]);
            Assert.True(File.Exists(FilePath));
            var (yes, youtput) = AsNobody();
            Assert.True(yes == 0, $"exit {yes}: {youtput}");
            Boot(Slot(0));
            Assert.Equal(0, Bootcheck("boot").Code);
            Assert.False(File.Exists(FilePath));
            var (no, noutput) = AsNobody();
            Assert.True(no == 1, $"exit {no}: {noutput}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public void Dispose()
    {
        foreach (var path in new[] { FilePath, FilePath + RebootRequired.PackagesSuffix, "/run/apkgen/switched@" + _disk.Device.Replace('/', '%') })
            File.Delete(path);
        _disk.Dispose();
    }
}
