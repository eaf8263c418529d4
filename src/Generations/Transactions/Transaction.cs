using Apkgen.Generations.Edge;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Linux;
using Apkgen.Generations.Model;

namespace Apkgen.Generations.Transactions;

/// <summary>How a transaction ended.</summary>
public enum TransactionOutcome
{
    /// <summary>A new generation was committed.</summary>
    Committed,
    /// <summary>The change altered nothing; the snapshot was dropped.</summary>
    NoChange,
    /// <summary>The change failed or was interrupted; the snapshot was dropped.</summary>
    Discarded,
}

/// <summary>
/// One change to the system as a new generation (DESIGN, "A transaction"). It undoes itself
/// unless committed: disposing an uncommitted transaction unmounts everything it mounted and
/// deletes its snapshot, so a failure, an exception or an interruption never changes
/// <c>current</c>.
/// <para>
/// Synchronous on purpose: mount namespaces belong to a thread, and every mount and path
/// under the private top-level mount must be touched from apkgen's main thread.
/// </para>
/// </summary>
public sealed class Transaction : IDisposable
{
    /// <summary>Marker inside the snapshot (on its private /run tmpfs) that the apk commit hook looks for.</summary>
    public const string MarkerRelativePath = "run/apkgen-transaction";

    readonly SystemContext _ctx;
    readonly Session _session;
    readonly List<string> _mounts = [];
    ulong? _treeGenerationBefore;
    byte[]? _fstabBefore;
    PackageDelta? _packages;
    bool _done;

    Transaction(SystemContext ctx, Session session, LayoutState state, BaseChoice baseChoice, string id)
    {
        _ctx = ctx;
        _session = session;
        State = state;
        Base = baseChoice;
        Id = id;
    }

    /// <summary>The layout as read when the transaction began (under the lock).</summary>
    public LayoutState State { get; }
    /// <summary>The generation the snapshot was taken from.</summary>
    public BaseChoice Base { get; }
    /// <summary>The new generation's id.</summary>
    public string Id { get; }
    /// <summary>The new generation's root subvolume (rw until commit).</summary>
    public string RootPath => _session.Top.RootSubvolumePath(Id);
    /// <summary>The base generation's root subvolume (read-only).</summary>
    public string BaseRootPath => _session.Top.RootSubvolumePath(Base.Id);

    /// <summary>
    /// What the change did to apk's installed database and world, against the base. Read
    /// once, after the change: the no-change test and the metadata see the same files.
    /// </summary>
    public PackageDelta Packages()
    {
        if (_packages is not null) return _packages;
        var installed = PackageDb.ReadInstalled(RootPath);
        var worldBefore = PackageDb.ReadWorld(BaseRootPath);
        var worldAfter = PackageDb.ReadWorld(RootPath);
        return _packages = new PackageDelta(
            PackageChanges.Between(PackageDb.ReadInstalled(BaseRootPath), installed),
            worldAfter.Except(worldBefore).ToList(),
            worldBefore.Except(worldAfter).ToList(),
            installed);
    }

    /// <summary>
    /// Stages 1-5: lock, read the layout, choose the base, snapshot it, write etc/fstab,
    /// mount what a change needs inside the snapshot.
    /// </summary>
    /// <param name="ctx">The system.</param>
    /// <param name="session">The open session.</param>
    /// <param name="from">--from: a slot or generation id, or null for the base rule.</param>
    /// <param name="waitSeconds">--wait: seconds to wait for the lock, or null to wait.</param>
    /// <param name="trackTreeChanges">
    /// Take the baseline <see cref="TreeChanged"/> compares with. It costs a syncfs, so
    /// changes judged otherwise (apk add/del/upgrade by its database) and throwaway runs skip it.
    /// </param>
    public static Transaction Begin(SystemContext ctx, Session session, string? from, double? waitSeconds, bool trackTreeChanges = true)
    {
        // 1. The global lock: one transaction or gc at a time.
        session.Lock(waitSeconds);
        // 2. The top level is mounted privately by the session; read the layout under the lock.
        var state = session.Store.Read();
        var booted = session.ReadBooted(state);
        // 3. Base.
        var baseChoice = BaseSelector.Choose(state, booted.GenerationId, from);
        if (baseChoice.Note is not null) ctx.Say(baseChoice.Note);
        Interruption.ThrowIfRequested();
        // 4. Snapshot base -> snapshots/<new>/@ (rw).
        var id = GenerationId.New(ctx.Clock.UtcNow, ctx.Random);
        var tx = new Transaction(ctx, session, state, baseChoice, id);
        try
        {
            Directory.CreateDirectory(session.Top.SnapshotDirPath(id));
            ctx.Btrfs.Snapshot(session.Top.RootSubvolumePath(baseChoice.Id), tx.RootPath, readOnly: false);
            Faults.Stage("snapshot");
            tx.WriteFstab();
            // 5. Mounts inside the snapshot.
            tx.MountInside();
            // Committed point of comparison for "did the change write anything" (exec, shell, fix).
            if (trackTreeChanges)
            {
                ctx.Btrfs.SyncFs(tx.RootPath);
                tx._treeGenerationBefore = ctx.Btrfs.TreeGeneration(tx.RootPath);
                // apkgen's own write before the change: the reference TreeChanged compares etc/fstab with.
                var fstab = Path.Combine(tx.RootPath, "etc/fstab");
                tx._fstabBefore = File.Exists(fstab) ? File.ReadAllBytes(fstab) : null;
            }
            Interruption.ThrowIfRequested();
            return tx;
        }
        catch
        {
            tx.Dispose();
            throw;
        }
    }

    void WriteFstab()
    {
        var template = _session.Top.FstabTemplatePath;
        if (!File.Exists(template))
        {
            _ctx.Say($"no fstab template at {template}: etc/fstab of the new generation is left as it was");
            return;
        }
        var text = Fstab.Render(File.ReadAllText(template), Id);
        var path = Path.Combine(RootPath, "etc/fstab");
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    void MountInside()
    {
        var root = RootPath;
        MountAt("proc", "proc", "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
        MountAt("sysfs", "sys", "sysfs", MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
        MountAt("/dev", "dev", null, MountFlags.Bind, null);
        if (Directory.Exists("/dev/pts")) MountAt("/dev/pts", "dev/pts", null, MountFlags.Bind, null);
        MountAt("tmpfs", "run", "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, "mode=0755");
        MountAt("tmpfs", "tmp", "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, "mode=1777");
        // The commons of the fstab template (the guide's /var/log, /var/cache, /home ...), as
        // the guide's sysmut gets them from `mount -a`: apk's cache and log, and package
        // scripts that write there, reach the real, shared subvolumes.
        if (File.Exists(_session.Top.FstabTemplatePath))
            foreach (var (subvol, mountPoint) in Fstab.Commons(File.ReadAllText(_session.Top.FstabTemplatePath)))
            {
                var source = Path.Combine(_session.Top.TopDirPath, subvol.TrimStart('/'));
                var target = Path.Combine(root, mountPoint.TrimStart('/'));
                if (Directory.Exists(source) && Directory.Exists(target) && new FileInfo(target).LinkTarget is null)
                    MountAt(source, mountPoint.TrimStart('/'), null, MountFlags.Bind, null);
            }
        ProvideResolvConf();
        File.WriteAllText(Path.Combine(root, MarkerRelativePath), Id + "\n");
    }

    void MountAt(string source, string relative, string? fsType, MountFlags flags, string? data)
    {
        var target = Path.Combine(RootPath, relative);
        if (new FileInfo(target).LinkTarget is not null) return; // never mount through a symlink out of the snapshot
        if (File.Exists(source) && !Directory.Exists(source))
        {
            // A file (resolv.conf) is bound onto a file: never make a directory in its place.
            if (!File.Exists(target)) File.WriteAllText(target, "");
        }
        else
            Directory.CreateDirectory(target);
        _ctx.Mounts.Mount(source, target, fsType, flags, data);
        _mounts.Add(target);
        if (flags.HasFlag(MountFlags.Bind) && flags.HasFlag(MountFlags.ReadOnly))
            _ctx.Mounts.Mount(source, target, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
    }

    /// <summary>
    /// DNS inside the snapshot. The guide makes /etc/resolv.conf a symlink to
    /// /tmp/resolv.conf; a bind mount onto it then fails (the seed's bug). Follow the link
    /// inside the snapshot: a target on the tmpfs mounted above gets a copy of the host's
    /// file; a regular file gets the host's file bound read-only over it.
    /// </summary>
    void ProvideResolvConf()
    {
        const string hostPath = "/etc/resolv.conf";
        string content;
        try
        {
            content = File.ReadAllText(hostPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Absent, or the guide's link to a /tmp/resolv.conf nobody wrote (no DHCP yet): no DNS to pass on.
            return;
        }
        var inside = ResolveInside("etc/resolv.conf");
        if (inside is null) return;
        if (inside.StartsWith("tmp/", StringComparison.Ordinal) || inside.StartsWith("run/", StringComparison.Ordinal))
        {
            var path = Path.Combine(RootPath, inside);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
        else if (File.Exists(Path.Combine(RootPath, inside)))
            MountAt(Path.GetFullPath(hostPath), inside, null, MountFlags.Bind | MountFlags.ReadOnly, null);
    }

    /// <summary>Resolves symlinks of a path as the snapshot's root would (at most 16 hops), relative to the root.</summary>
    string? ResolveInside(string relative)
    {
        for (var hops = 0; hops < 16; hops++)
        {
            var full = Path.Combine(RootPath, relative);
            if (new FileInfo(full).LinkTarget is not { } target) return relative;
            relative = target.StartsWith('/')
                ? target.TrimStart('/')
                : Path.GetRelativePath(RootPath, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, target)));
            if (relative.StartsWith("..", StringComparison.Ordinal)) return null;
        }
        return null;
    }

    /// <summary>Stage 5: runs a command chrooted in the snapshot, with the terminal passed through.</summary>
    public int RunChrooted(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?>? environment = null) =>
        Run(new ProcessSpec("chroot", [RootPath, .. command], environment));

    /// <summary>Stage 5: runs a host program (e.g. the real apk with --root) against the snapshot.</summary>
    public int Run(ProcessSpec spec)
    {
        Interruption.ThrowIfRequested();
        Faults.Stage("change");
        var code = _ctx.Processes.RunInteractive(spec);
        Faults.Stage("changed");
        return code;
    }

    /// <summary>
    /// True if the change altered the snapshot's content. The tree's btrfs generation not
    /// moving since before the change (syncfs first, so the counter is current) proves that
    /// nothing was written, at no cost; when it moved, the tree is compared with the base by
    /// content (<see cref="TreeComparison"/>): apk rewrites its database with identical bytes
    /// on every commit, so an empty <c>apk fix</c> wrote files and changed nothing.
    /// </summary>
    public bool TreeChanged()
    {
        if (_treeGenerationBefore is null)
            throw new InvalidOperationException("TreeChanged needs a transaction begun with trackTreeChanges");
        _ctx.Btrfs.SyncFs(RootPath);
        if (!_ctx.Btrfs.ChangedSince(RootPath, _treeGenerationBefore.Value)) return false;
        var expected = new Dictionary<string, byte[]>();
        if (_fstabBefore is not null) expected["etc/fstab"] = _fstabBefore;
        return TreeComparison.FirstDifference(BaseRootPath, RootPath, expected) is not null;
    }

    /// <summary>
    /// Stages 6-8: unmount, write generation.ini (pending), make the snapshot read-only,
    /// make the links directory, and switch <c>current</c> (or <c>pending</c> in trial
    /// mode) with syncfs, rename, syncfs.
    /// </summary>
    public LayoutState Commit(string command, bool trial)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        // 6. Nothing of the change may stay running or mounted.
        UnmountInside();
        Interruption.ThrowIfRequested();
        // 7. Metadata, read-only, links.
        var packages = Packages();
        var info = new GenerationInfo
        {
            Id = Id,
            Parent = Base.Id,
            Created = _ctx.Clock.UtcNow,
            Command = command,
            Packages = packages.Changes,
            WorldAdded = packages.WorldAdded,
            WorldRemoved = packages.WorldRemoved,
            Kernels = KernelInfo.Discover(RootPath, packages.Installed),
            State = BootState.Pending,
            AttemptsLeft = _ctx.Config.Bootcheck.Attempts,
            StateChanged = _ctx.Clock.UtcNow,
        };
        _session.Store.WriteInfo(info, durable: false);
        _ctx.Btrfs.SetReadOnly(RootPath, true);
        Faults.Stage("readonly");
        Interruption.ThrowIfRequested();
        var previous = trial && State.Pending is not null ? State.Pending : State.Current;
        var slots = LinksPlanner.Promote(Id, previous.Slots, _ctx.Config.Layout.Links);
        var lid = GenerationId.New(_ctx.Clock.UtcNow, _ctx.Random);
        _session.Store.CreateLinksGeneration(lid, slots);
        Interruption.ThrowIfRequested();
        // 8. The switch. From here on the transaction is committed whatever happens.
        _done = true;
        _session.Store.Switch(trial ? "pending" : "current", lid);
        return _session.Store.Read();
    }

    /// <summary>Drops the snapshot (same as disposing) and reports why.</summary>
    public void Discard() => Dispose();

    void UnmountInside()
    {
        KillLeftovers();
        for (var i = _mounts.Count - 1; i >= 0; i--)
        {
            try { _ctx.Mounts.Unmount(_mounts[i]); }
            catch (IOException)
            {
                _ctx.Mounts.Unmount(_mounts[i], lazy: true);
                _ctx.Say($"{_mounts[i]} was busy; detached it lazily");
            }
        }
        _mounts.Clear();
        var marker = Path.Combine(RootPath, MarkerRelativePath);
        if (File.Exists(marker)) File.Delete(marker); // only if /run was not a mount
    }

    /// <summary>
    /// A change can leave a daemon behind (a package's post-install starting a service);
    /// it would keep the snapshot busy and the namespace alive. Every process whose root is
    /// inside the snapshot gets SIGTERM, then SIGKILL.
    /// </summary>
    void KillLeftovers()
    {
        var root = Path.GetFullPath(RootPath);
        for (var round = 0; round < 2; round++)
        {
            var found = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
                string? procRoot;
                try { procRoot = new DirectoryInfo(Path.Combine(dir, "root")).LinkTarget; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                if (procRoot is not null && (procRoot == root || procRoot.StartsWith(root + "/", StringComparison.Ordinal)))
                    found.Add(pid);
            }
            if (found.Count == 0) return;
            _ctx.Say($"stopping {found.Count} process(es) the change left running: {string.Join(' ', found)}");
            foreach (var pid in found) Native.kill(pid, round == 0 ? 15 : 9);
            Thread.Sleep(round == 0 ? 500 : 100);
        }
    }

    /// <summary>Undoes an uncommitted transaction: unmount, delete the snapshot.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        try { UnmountInside(); }
        catch (IOException e) { _ctx.Say("cleanup: " + e.Message); }
        var root = RootPath;
        try
        {
            if (Directory.Exists(root))
            {
                _ctx.Btrfs.DeleteSubvolume(root);
                // Commit the deletion and wake the cleaner: otherwise its space is not free
                // for the next try (seen on a full disk: the retry failed with ENOSPC).
                _ctx.Btrfs.SyncAndClean(_session.Top.TopDirPath);
            }
            var dir = _session.Top.SnapshotDirPath(Id);
            if (Directory.Exists(dir))
            {
                // generation.ini, or the temp file of a write that failed (a full disk).
                foreach (var file in Directory.EnumerateFiles(dir)) File.Delete(file);
                Directory.Delete(dir);
            }
        }
        catch (IOException e)
        {
            _ctx.Say($"could not delete the snapshot {Id} ({e.Message}); 'apkgen gc' will");
        }
    }
}

/// <summary>
/// A change's effect on apk's database: package changes, world entries added and removed,
/// and the installed packages after it.
/// </summary>
public sealed record PackageDelta(PackageChanges Changes, IReadOnlyList<string> WorldAdded, IReadOnlyList<string> WorldRemoved,
    IReadOnlyDictionary<string, string> Installed)
{
    /// <summary>True if apk changed no package and no world entry (e.g. nothing to upgrade).</summary>
    public bool IsEmpty => Changes.IsEmpty && WorldAdded.Count == 0 && WorldRemoved.Count == 0;
}
