using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Transactions;

/// <summary>
/// apkgen's view of the managed filesystem for one command: the btrfs top level
/// (subvolid=5) mounted in apkgen's private mount namespace, and optionally the global lock.
/// Disposing releases the lock and unmounts.
/// </summary>
public sealed class Session : IDisposable
{
    /// <summary>Where the top level is mounted inside apkgen's private namespace.</summary>
    public const string MountPointPath = "/run/apkgen/top";

    readonly SystemContext _ctx;
    readonly bool _mounted;
    IDisposable? _lock;
    IReadOnlyList<MountEntry>? _mountInfo;
    string? _cmdline;

    Session(SystemContext ctx, TopLevel top, bool mounted, string device, IReadOnlyList<MountEntry>? mountInfo)
    {
        _ctx = ctx;
        _mounted = mounted;
        Device = device;
        Store = new LayoutStore(top, ctx.Btrfs, ctx.Faults, ctx.Links);
        _mountInfo = mountInfo;
    }

    /// <summary>
    /// The running system's mounts, read once per command (a commit needed them three or
    /// four times). What they tell apkgen (the booted root, the device of <c>/</c>) cannot
    /// change while a command runs; apkgen's own mounts (the top level, a change's) are not
    /// what any reader here looks for.
    /// </summary>
    public IReadOnlyList<MountEntry> MountInfo => _mountInfo ??= MountEntry.Parse(_ctx.Mounts.ReadMountInfo());

    /// <summary>The kernel command line, read once per command (it cannot change while the system runs).</summary>
    string Cmdline => _cmdline ??= _ctx.Mounts.ReadKernelCmdline();

    /// <summary>The block device (or directory) of the top level.</summary>
    public string Device { get; }

    /// <summary>The layout's files.</summary>
    public LayoutStore Store { get; }

    /// <summary>The top level paths.</summary>
    public TopLevel Top => Store.Top;

    /// <summary>
    /// Mounts the top level of <c>[layout] device</c> (default: the btrfs holding <c>/</c>)
    /// privately. A directory instead of a device is taken as an already mounted top level.
    /// </summary>
    /// <param name="ctx">The system.</param>
    /// <param name="deviceOverride">A device or directory instead of [layout] device.</param>
    /// <param name="mountInfo">The mounts, when the caller read them already (once per command).</param>
    public static Session Open(SystemContext ctx, string? deviceOverride = null, IReadOnlyList<MountEntry>? mountInfo = null)
    {
        var device = deviceOverride ?? ctx.Config.Layout.Device ?? RootDevice(mountInfo ??= MountEntry.Parse(ctx.Mounts.ReadMountInfo()));
        if (Directory.Exists(device))
        {
            if (!ctx.Btrfs.IsBtrfs(device))
                throw new ApkgenException($"{device} is not on a btrfs filesystem", "apkgen manages btrfs only; name a btrfs device or mounted top level", ExitCodes.DataError);
            return new Session(ctx, new TopLevel(Path.GetFullPath(device)), mounted: false, device, mountInfo);
        }
        if (!File.Exists(device))
            throw new ApkgenException($"device {device} does not exist", "set [layout] device in /etc/apkgen.conf or pass --device", ExitCodes.DataError);
        try
        {
            ctx.Mounts.EnterPrivateNamespace();
        }
        catch (NativeIOException e) when (e.Errno == Errno.EPERM)
        {
            // Not an internal error: mounting the layout privately needs root, even to read it.
            throw new ApkgenException("apkgen must run as root: it mounts the layout's top level in a private mount namespace, even to read it",
                "run it with doas or sudo", ExitCodes.NoPermission, e);
        }
        Directory.CreateDirectory(MountPointPath);
        try
        {
            // noatime: reading files during a change must not modify the snapshot's tree,
            // whose generation number tells apkgen whether the change wrote anything.
            ctx.Mounts.Mount(device, MountPointPath, "btrfs", MountFlags.NoAtime, "subvolid=5");
        }
        catch (NativeIOException e) when (e.Errno == Errno.ENOTBLK)
        {
            throw new ApkgenException($"{device} is neither a block device nor a directory where a btrfs top level is mounted",
                "name the btrfs partition (e.g. /dev/sda2) or a loop device with --device or [layout] device", ExitCodes.DataError, e);
        }
        catch (NativeIOException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT or Errno.ENODEV or Errno.EIO)
        {
            throw new ApkgenException($"{device} does not hold a btrfs filesystem ({e.Message})",
                "apkgen manages btrfs only; check [layout] device", ExitCodes.DataError, e);
        }
        return new Session(ctx, new TopLevel(MountPointPath), mounted: true, device, mountInfo);
    }

    static string RootDevice(IReadOnlyList<MountEntry> mountInfo)
    {
        var booted = BootedRoot.From(mountInfo);
        return booted?.Source
            ?? throw new ApkgenException("the root filesystem is not btrfs, so there is no default device",
                "set [layout] device in /etc/apkgen.conf (e.g. a loop device for a sandbox)", ExitCodes.DataError);
    }

    /// <summary>
    /// Takes the global lock: flock on a file on the managed filesystem that is never
    /// deleted. Waits with a message; after <paramref name="waitSeconds"/> (null: forever) fails,
    /// or when <paramref name="cancel"/> is cancelled.
    /// </summary>
    public void Lock(double? waitSeconds, CancellationToken cancel = default)
    {
        if (_lock is not null) return;
        var held = _ctx.FileLocks.TryLock(Top.LockFilePath);
        if (held is null)
        {
            _ctx.Say(waitSeconds is 0 ? "another apkgen run holds the lock" : "waiting for another apkgen run to finish...");
            var deadline = waitSeconds is { } w ? DateTime.UtcNow.AddSeconds(w) : DateTime.MaxValue;
            while ((held = _ctx.FileLocks.TryLock(Top.LockFilePath)) is null)
            {
                if (DateTime.UtcNow >= deadline || cancel.IsCancellationRequested)
                {
                    Interruption.ThrowIfCancelled(cancel);
                    throw new ApkgenException("another apkgen run holds the lock",
                        "wait for it to finish (see 'ps'), or give --wait more seconds", ExitCodes.Busy);
                }
                Thread.Sleep(50);
            }
        }
        _lock = held;
    }

    /// <summary>The generation the running system booted, if it belongs to this layout.</summary>
    public Booted ReadBooted(LayoutState state)
    {
        var root = BootedRoot.From(MountInfo);
        var id = root?.GenerationId is { } g && state.Find(g) is not null ? g : null;
        var slot = id is null ? null : KernelCmdline.Slot(KernelCmdline.RootSubvolume(Cmdline));
        return new Booted(id, slot?.Link, slot?.Slot);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        if (_mounted)
        {
            try { _ctx.Mounts.Unmount(MountPointPath); }
            catch (IOException)
            {
                // Something still holds it (e.g. a process left by a change); the namespace
                // dies with apkgen, so a lazy detach is safe.
                _ctx.Mounts.Unmount(MountPointPath, lazy: true);
            }
        }
    }
}

/// <summary>The booted generation (null when the running root is not from this layout) and the slot the boot manager named.</summary>
public sealed record Booted(string? GenerationId, string? Link, int? Slot);
