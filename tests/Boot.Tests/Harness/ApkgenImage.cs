namespace Apkgen.Boot.Tests.Harness;

/// <summary>The product under test: a base image whose layout apkgen init made (adopting the
/// Debian guest root), whose menu apkgen-refind wrote, with the apkgen binaries published for
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

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string?> LayoutEnvironment => new Dictionary<string, string?>
    {
        ["APKGEN_BIN"] = publishedDir,
        ["APKGEN_HOST_CONF"] = hostConf,
    };

    /// <summary>scripts/publish once per test run (Native AOT for linux-x64: what Alpine would run),
    /// or the binaries already published in APKGEN_BOOT_BIN (CI publishes anyway).</summary>
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
                await Shell.RunAsync(Path.Combine(Shell.RepoRoot, "scripts", "publish"), [dir]);
                publishedDir = dir;
            }
            return publishedDir;
        }
        finally
        {
            PublishLock.Release();
        }
    }

    /// <inheritdoc/>
    protected override async Task AddToOverlayAsync(string overlayDir)
    {
        var bin = await PublishAsync();
        var sbin = Path.Combine(overlayDir, "usr", "sbin");
        Directory.CreateDirectory(sbin);
        foreach (var exe in new[] { "apkgen", "apkgen-refind", "apkgen-bootcheck" })
            File.Copy(Path.Combine(bin, exe), Path.Combine(sbin, exe), overwrite: true);
        InstallOpenrcServices(overlayDir);

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
        title = Debian test guest
        volume = ROOT
        options = console=ttyS0,115200 panic=5
        flavor = -
        microcode = none
        icon = none

        [bootcheck]
        mode = {Mode}
        health_timeout = 20
        refind_loader = \EFI\BOOT\BOOTX64.EFI
        efi_disk = /dev/vda
        efi_partition = 1

        """.Replace("\r", "");

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
