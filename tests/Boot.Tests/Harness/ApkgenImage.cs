namespace Apkgen.Boot.Tests.Harness;

/// <summary>The product under test: a base image whose layout apkgen init made (adopting the
/// Alpine guest root), whose menu apkgen-refind wrote, with the apkgen binaries published for
/// linux-x64 (AOT) and the OpenRC services of openrc/ installed in the guest.</summary>
public abstract class ApkgenImage : BootImage
{
    static readonly SemaphoreSlim PublishLock = new(1, 1);
    static string? publishedDir;

    /// <summary><c>counter</c> or <c>trial</c> ([bootcheck] mode).</summary>
    protected abstract string Mode { get; }

    /// <summary>The services of openrc/ put into the boot runlevel (early check).</summary>
    public List<string> BootServices { get; } = [];

    /// <summary>The services of openrc/ put into the default runlevel (late check).</summary>
    public List<string> DefaultServices { get; } = [];

    /// <inheritdoc/>
    protected override string LayoutScript => Path.Combine(Shell.RepoRoot, "tests", "boot", "layout-apkgen.sh");

    string hostConf = "";
    string repoDir = "";

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string?> LayoutEnvironment => new Dictionary<string, string?>
    {
        ["APKGEN_BIN"] = publishedDir,
        ["APKGEN_HOST_CONF"] = hostConf,
        ["APKGEN_TEST_REPO"] = repoDir,
        ["APKGEN_TEST_PREINSTALL"] = Preinstall,
    };

    /// <summary>Packages of the test repository the first generation has installed (the kit's apk adds them before init).</summary>
    protected virtual string Preinstall => "";

    /// <summary>More of the guest's /etc/apkgen.conf (whole sections), after the common ones.</summary>
    protected virtual string ExtraConfig => "";

    /// <summary>scripts/publish --static once per test run (Native AOT for linux-x64, statically
    /// linked: the glibc build does not run on Alpine's musl root), or the binaries already
    /// published in APKGEN_BOOT_BIN, which must be such a static build.</summary>
    static async Task<string> PublishAsync()
    {
        await PublishLock.WaitAsync();
        try
        {
            if (publishedDir is null && Environment.GetEnvironmentVariable("APKGEN_BOOT_BIN") is { Length: > 0 } given)
                publishedDir = given;
            if (publishedDir is null)
            {
                var dir = Path.Combine(ImagesRoot, "publish");
                await Shell.RunAsync(Path.Combine(Shell.RepoRoot, "scripts", "publish"), ["--static", dir]);
                publishedDir = dir;
            }
            foreach (var exe in new[] { "apkgen", "apkgen-refind", "apkgen-bootcheck" })
                if (HasInterpreter(Path.Combine(publishedDir, exe)))
                    throw new InvalidOperationException(
                        $"{Path.Combine(publishedDir, exe)} is dynamically linked (glibc): it cannot run on the Alpine guest. "
                        + "Publish with 'scripts/publish --static DIR' and set APKGEN_BOOT_BIN=DIR, or leave APKGEN_BOOT_BIN unset.");
            return publishedDir;
        }
        finally
        {
            PublishLock.Release();
        }
    }

    // An ELF with a PT_INTERP program header (type 3) needs a dynamic loader.
    static bool HasInterpreter(string path)
    {
        var elf = File.ReadAllBytes(path);
        var phoff = (int)BitConverter.ToUInt64(elf, 0x20);
        var phentsize = BitConverter.ToUInt16(elf, 0x36);
        var phnum = BitConverter.ToUInt16(elf, 0x38);
        for (var i = 0; i < phnum; i++)
            if (BitConverter.ToUInt32(elf, phoff + i * phentsize) == 3)
                return true;
        return false;
    }

    /// <inheritdoc/>
    protected override async Task AddToOverlayAsync(string overlayDir)
    {
        var bin = await PublishAsync();
        // Where the package (APKBUILD) puts them: /usr/bin, and the apk entry point
        // /usr/local/sbin/apk -> /usr/bin/apkgen (installed by hand the same way, not from the .apk).
        var usrBin = Path.Combine(overlayDir, "usr", "bin");
        Directory.CreateDirectory(usrBin);
        foreach (var exe in new[] { "apkgen", "apkgen-refind", "apkgen-bootcheck" })
        {
            File.Copy(Path.Combine(bin, exe), Path.Combine(usrBin, exe), overwrite: true);
            File.SetUnixFileMode(Path.Combine(usrBin, exe), (UnixFileMode)0b111_101_101);
        }
        var localSbin = Path.Combine(overlayDir, "usr", "local", "sbin");
        Directory.CreateDirectory(localSbin);
        File.CreateSymbolicLink(Path.Combine(localSbin, "apk"), "/usr/bin/apkgen");
        var hooks = Path.Combine(overlayDir, "etc", "apk", "commit_hooks.d");
        Directory.CreateDirectory(hooks);
        File.Copy(Path.Combine(Shell.RepoRoot, "apk-hooks", "apkgen"), Path.Combine(hooks, "apkgen"), overwrite: true);
        File.SetUnixFileMode(Path.Combine(hooks, "apkgen"), (UnixFileMode)0b111_101_101);
        var profile = Path.Combine(overlayDir, "etc", "profile.d");
        Directory.CreateDirectory(profile);
        File.Copy(Path.Combine(Shell.RepoRoot, "openrc", "apkgen-bootcheck.profile"), Path.Combine(profile, "apkgen-bootcheck.sh"), overwrite: true);
        File.Copy(Path.Combine(Shell.RepoRoot, "openrc", "apkgen.profile"), Path.Combine(profile, "apkgen.sh"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(overlayDir, "etc", "apkgen", "health.d"));
        // The unattended-upgrade job, where the package puts it (crond runs /etc/periodic/hourly).
        var hourly = Path.Combine(overlayDir, "etc", "periodic", "hourly");
        Directory.CreateDirectory(hourly);
        foreach (var job in Directory.EnumerateFiles(Path.Combine(Shell.RepoRoot, "periodic")))
        {
            File.Copy(job, Path.Combine(hourly, Path.GetFileName(job)), overwrite: true);
            File.SetUnixFileMode(Path.Combine(hourly, Path.GetFileName(job)), (UnixFileMode)0b111_101_101);
        }
        InstallOpenrcServices(overlayDir);

        // The signed test repository (tests/boot/make-repo.sh) goes onto the /var/cache commons by
        // the layout script; its key into /etc/apk/keys, as a user trusts a repository.
        repoDir = Path.Combine(ImageDir, "repo");
        await Shell.BootScriptAsync("make-repo.sh", repoDir);
        var keys = Path.Combine(overlayDir, "etc", "apk", "keys");
        Directory.CreateDirectory(keys);
        foreach (var key in Directory.EnumerateFiles(repoDir, "*.rsa.pub"))
            File.Copy(key, Path.Combine(keys, Path.GetFileName(key)), overwrite: true);

        var conf = GuestConfig();
        Directory.CreateDirectory(Path.Combine(overlayDir, "etc"));
        File.WriteAllText(Path.Combine(overlayDir, "etc", "apkgen.conf"), conf);
        hostConf = Path.Combine(ImageDir, "host-apkgen.conf.in");
        File.WriteAllText(hostConf, conf
            .Replace("/boot/efi/EFI/BOOT", "@ESP@", StringComparison.Ordinal)
            .Replace("device = /dev/vda2\n", "", StringComparison.Ordinal));

        // The test step runs after the late check, so it sees the state the check left.
        var confd = Path.Combine(overlayDir, "etc", "conf.d");
        Directory.CreateDirectory(confd);
        File.WriteAllText(Path.Combine(confd, "apkgen-test-step"), $"rc_after=\"{string.Join(' ', DefaultServices)}\"\n");
    }

    // The guest's /etc/apkgen.conf. Kernel options: the serial console for the test, panic=5 so a
    // panic resets (QEMU runs with -no-reboot and exits), no "quiet" so failures show in the log.
    string GuestConfig() => $"""
        # apkgen.conf of the boot-test guest (written by tests/Boot.Tests)
        [layout]
        device = /dev/vda2

        [refind]
        output = /boot/efi/EFI/BOOT/apkgen.conf
        main_config = /boot/efi/EFI/BOOT/refind.conf
        trial_output = /boot/efi/EFI/BOOT/trial.conf
        trial_timeout = 1
        title = Alpine test guest
        volume = ROOT
        options = console=ttyS0,115200 panic=5
        microcode = none
        icon = none

        [bootcheck]
        mode = {Mode}
        health_timeout = 20
        refind_loader = \EFI\BOOT\BOOTX64.EFI
        efi_disk = /dev/vda
        efi_partition = 1

        """.Replace("\r", "") + ExtraConfig;

    void InstallOpenrcServices(string overlayDir)
    {
        var openrc = Path.Combine(Shell.RepoRoot, "openrc");
        var scripts = Directory.EnumerateFiles(openrc, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadLines(f).FirstOrDefault()?.StartsWith("#!/sbin/openrc-run", StringComparison.Ordinal) == true)
            .ToList();
        if (scripts.Count == 0)
            throw new InvalidOperationException($"{openrc} holds no OpenRC service: no boot check would run in the guest");
        var initd = Path.Combine(overlayDir, "etc", "init.d");
        var confd = Path.Combine(overlayDir, "etc", "conf.d");
        Directory.CreateDirectory(confd);
        foreach (var script in scripts)
        {
            var name = ServiceName(script);
            var target = Path.Combine(initd, name);
            File.Copy(script, target, overwrite: true);
            File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
            // Alpine: the early check (apkgen-bootcheck boot) in the boot runlevel, the late one
            // (apkgen-bootcheck confirm) in default.
            var late = File.ReadLines(script).Any(l => !l.TrimStart().StartsWith('#')
                && l.Contains("apkgen-bootcheck", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" confirm", StringComparison.Ordinal));
            var level = late ? "default" : "boot";
            (level == "boot" ? BootServices : DefaultServices).Add(name);
            var runlevel = Path.Combine(overlayDir, "etc", "runlevels", level);
            Directory.CreateDirectory(runlevel);
            File.CreateSymbolicLink(Path.Combine(runlevel, name), "/etc/init.d/" + name);
        }
        foreach (var conf in Directory.EnumerateFiles(openrc, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".confd", StringComparison.Ordinal)))
            File.Copy(conf, Path.Combine(confd, ServiceName(conf)), overwrite: true);
    }

    static string ServiceName(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var ext in new[] { ".initd", ".confd", ".in" })
            if (name.EndsWith(ext, StringComparison.Ordinal))
                name = name[..^ext.Length];
        return name;
    }
}

/// <summary>Counter mode (the default): scenarios 1, 2, 3, 5 and 6.</summary>
public sealed class CounterModeImage : ApkgenImage
{
    /// <inheritdoc/>
    protected override string Mode => "counter";
}

/// <summary>Trial mode (UEFI BootNext): scenario 4.</summary>
public sealed class TrialModeImage : ApkgenImage
{
    /// <inheritdoc/>
    protected override string Mode => "trial";
}
