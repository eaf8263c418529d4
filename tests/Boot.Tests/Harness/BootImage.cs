using System.Diagnostics;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>A base disk image built once per test class (xunit class fixture): the cached Alpine
/// guest root, the overlay of tests/boot/guest plus what the class adds, laid out by a layout
/// script. Tests never boot it directly: each boots its own <see cref="GuestMachine"/> copy.</summary>
public abstract class BootImage : IAsyncLifetime
{
    static readonly string[] HostTools =
        ["qemu-system-x86_64", "apt-get", "sgdisk", "mkfs.vfat", "mmd", "mcopy", "mkfs.btrfs", "btrfs", "zstd", "dpkg-deb", "losetup", "busybox", "efibootmgr"];

    /// <summary>Where the images of the running suite are built.</summary>
    public static readonly string ImagesRoot = "/var/tmp/apkgen-boot-tests/images";

    /// <summary>The raw disk image.</summary>
    public string DiskPath { get; private set; } = "";

    /// <summary>What building it took, for the test output.</summary>
    public string BuildSummary { get; private set; } = "";

    /// <summary>The script that makes the layout on the btrfs partition (see make-disk.sh).</summary>
    protected abstract string LayoutScript { get; }

    /// <summary>Adds the class's files to the guest root (binaries, services, config).</summary>
    protected virtual Task AddToOverlayAsync(string overlayDir) => Task.CompletedTask;

    /// <summary>Environment for make-disk.sh and the layout script.</summary>
    protected virtual IReadOnlyDictionary<string, string?> LayoutEnvironment => new Dictionary<string, string?>();

    /// <summary>The directory this image is built in.</summary>
    protected string ImageDir { get; private set; } = "";

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        RequireHost();
        var clock = Stopwatch.StartNew();
        var tarball = (await Shell.BootScriptAsync("guest-root.sh")).Trim();
        var rootTime = clock.Elapsed;
        ImageDir = Path.Combine(ImagesRoot, GetType().Name);
        if (Directory.Exists(ImageDir))
            Directory.Delete(ImageDir, recursive: true);
        var overlay = Path.Combine(ImageDir, "overlay");
        Directory.CreateDirectory(overlay);
        await Shell.RunAsync("cp", ["-a", Path.Combine(Shell.RepoRoot, "tests", "boot", "guest") + "/.", overlay]);
        await AddToOverlayAsync(overlay);
        var overlayTime = clock.Elapsed;
        DiskPath = Path.Combine(ImageDir, "base.img");
        await Shell.RunAsync(Path.Combine(Shell.RepoRoot, "tests", "boot", "make-disk.sh"),
            [DiskPath, tarball, overlay, LayoutScript], LayoutEnvironment);
        BuildSummary = $"guest root {rootTime.TotalSeconds:F0} s, overlay {(overlayTime - rootTime).TotalSeconds:F0} s, "
            + $"disk {(clock.Elapsed - overlayTime).TotalSeconds:F0} s";
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        if (ImageDir.Length > 0 && Directory.Exists(ImageDir))
            Directory.Delete(ImageDir, recursive: true);
        return Task.CompletedTask;
    }

    static void RequireHost()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("The boot tests need root (chroot, loop devices, mounts).");
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin";
        var missing = HostTools
            .Where(t => !path.Split(':').Any(d => File.Exists(Path.Combine(d, t))))
            .Concat(new[] { QemuRunner.OvmfCode, QemuRunner.OvmfVarsTemplate }.Where(f => !File.Exists(f)))
            .ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"The boot tests need these host tools: {string.Join(", ", missing)}. Install with: apt-get install "
                + "--no-install-recommends qemu-system-x86 ovmf gdisk dosfstools mtools btrfs-progs zstd busybox-static efibootmgr");
    }
}

/// <summary>The guide's layout made by hand (tests/boot/layout-hand.sh): proves the harness
/// (firmware, rEFInd, kernel, OpenRC, serial) apart from apkgen.</summary>
public sealed class HandMadeLayoutImage : BootImage
{
    /// <inheritdoc/>
    protected override string LayoutScript => Path.Combine(Shell.RepoRoot, "tests", "boot", "layout-hand.sh");
}
