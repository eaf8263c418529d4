using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Transactions;

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
    /// <summary>The mount points, as the host names them with no symlink in them (for unmounting).</summary>
    readonly List<string> _mounts = [];
    /// <summary>The places (relative to the root) of the tmpfs mounted at run and tmp.</summary>
    readonly List<string> _scratchPlaces = [];
    bool _markerWritten;
    ulong? _treeGenerationBefore;
    byte[]? _fstabBefore;
    PackageDelta? _packages;
    bool _done;
    readonly CancellationToken _cancel;
    // Stop signals wait for a safe point while this transaction can still be undone (Interruption).
    readonly IDisposable _deferral = Interruption.Defer();

    Transaction(SystemContext ctx, Session session, BaseChoice baseChoice, string id, CancellationToken cancel)
    {
        _ctx = ctx;
        _session = session;
        Base = baseChoice;
        Id = id;
        _cancel = cancel;
    }

    /// <summary>True once <see cref="Publish"/> switched: disposing then undoes nothing.</summary>
    public bool Committed { get; private set; }
    /// <summary>The generation the snapshot was taken from.</summary>
    public BaseChoice Base { get; }
    /// <summary>The new generation's id.</summary>
    public string Id { get; }
    /// <summary>The new generation's root subvolume (rw until commit).</summary>
    public string RootPath => _session.Top.RootSubvolumePath(Id);
    /// <summary>The base generation's root subvolume (read-only).</summary>
    public string BaseRootPath => _session.Top.RootSubvolumePath(Base.Id);
    /// <summary>The new generation's files, every path resolved inside it.</summary>
    ConfinedRoot Files => new(RootPath);

    /// <summary>
    /// What a program run on the host with <c>--root</c> (apk) writes besides the files of
    /// packages: apk's database, world, lock, cache and scripts (apk-tools' database.c). It
    /// follows symlinks as the host resolves them, so none of these, and no top-level entry
    /// (where packages' files go), may lead out of the snapshot.
    /// </summary>
    static readonly string[] HostProgramPaths =
    [
        "etc/apk/world", "etc/apk/repositories", "etc/apk/arch", "etc/apk/commit_hooks.d", "etc/apk/protected_paths.d",
        "lib/apk/db/installed", "lib/apk/db/lock", "lib/apk/db/scripts.tar", "lib/apk/db/triggers", "lib/apk/exec",
        "var/cache/apk", "var/cache/misc", "var/lib/apk",
    ];

    /// <summary>
    /// What the change did to apk's installed database and world, against the base. Read
    /// once, after the change: the no-change test and the metadata see the same files.
    /// </summary>
    public PackageDelta Packages()
    {
        if (_packages is not null) return _packages;
        var installed = SnapshotContents.ReadInstalled(RootPath);
        var worldBefore = SnapshotContents.ReadWorld(BaseRootPath);
        var worldAfter = SnapshotContents.ReadWorld(RootPath);
        return _packages = new PackageDelta(
            PackageChanges.Between(SnapshotContents.ReadInstalled(BaseRootPath), installed),
            worldAfter.Except(worldBefore).ToList(),
            worldBefore.Except(worldAfter).ToList(),
            installed);
    }

    /// <summary>
    /// Stage 4 of the runbook (<see cref="UseCases.ChangeUseCase"/>): snapshot the base to
    /// <c>snapshots/&lt;new&gt;/@</c> (rw), write its etc/fstab, mount what a change needs
    /// inside it. From here until <see cref="Publish"/> the transaction undoes itself when
    /// disposed, and stop signals wait for its safe points.
    /// </summary>
    /// <param name="ctx">The system.</param>
    /// <param name="session">The open, locked session.</param>
    /// <param name="baseChoice">The generation to snapshot (BaseSelector's choice on the layout read under the lock).</param>
    /// <param name="trackTreeChanges">
    /// Take the baseline <see cref="TreeChanged"/> compares with. It costs a syncfs, so
    /// changes judged otherwise (apk add/del/upgrade by its database) and throwaway runs skip it.
    /// </param>
    /// <param name="cancel">Cancelled by a stop signal: the transaction stops at its next safe point and undoes itself.</param>
    public static Transaction Begin(SystemContext ctx, Session session, BaseChoice baseChoice, bool trackTreeChanges, CancellationToken cancel)
    {
        Interruption.ThrowIfCancelled(cancel);
        var id = ctx.NewId();
        var tx = new Transaction(ctx, session, baseChoice, id, cancel);
        try
        {
            Directory.CreateDirectory(session.Top.SnapshotDirPath(id));
            ctx.Btrfs.Snapshot(session.Top.RootSubvolumePath(baseChoice.Id), tx.RootPath, readOnly: false);
            ctx.Faults.Pass(FaultStages.Snapshot);
            tx.WriteFstab();
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
            Interruption.ThrowIfCancelled(cancel);
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
        var files = Files;
        string? existing;
        try { existing = files.ReadText("etc/fstab"); }
        catch (IOException) { existing = null; } // a directory or a FIFO there: replaced below
        if (existing == text) return;
        try
        {
            files.CreateDirectory("etc");
            // The fstab is apkgen's (rendered from the template): a symlink there is replaced, so
            // neither a link out of the snapshot nor one to a file the boot does not see gets it.
            files.WriteTextAtomically("etc/fstab", text, replaceSymlink: true);
        }
        catch (UnresolvedInSnapshotException e)
        {
            throw new ApkgenException($"the new generation's etc/fstab cannot be written inside it: {e.Message}",
                $"make /etc of {Base.Id} a directory (a link out of the generation has no /etc to boot with)", ExitCodes.DataError, e);
        }
    }

    void MountInside()
    {
        var files = Files;
        MountAt("proc", "proc", "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
        MountAt("sysfs", "sys", "sysfs", MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec, null);
        MountAt("/dev", "dev", null, MountFlags.Bind, null);
        if (Directory.Exists("/dev/pts")) MountAt("/dev/pts", "dev/pts", null, MountFlags.Bind, null);
        foreach (var (scratch, mode) in new[] { ("run", "mode=0755"), ("tmp", "mode=1777") })
            if (MountAt("tmpfs", scratch, "tmpfs", MountFlags.NoSuid | MountFlags.NoDev, mode) is { } place)
                _scratchPlaces.Add(place);
        // The commons of the fstab template (the guide's /var/log, /var/cache, /home ...), as
        // the guide's sysmut gets them from `mount -a`: apk's cache and log, and package
        // scripts that write there, reach the real, shared subvolumes.
        if (File.Exists(_session.Top.FstabTemplatePath))
            foreach (var (subvol, mountPoint) in Fstab.Commons(File.ReadAllText(_session.Top.FstabTemplatePath)))
            {
                var source = Path.Combine(_session.Top.TopDirPath, subvol.TrimStart('/'));
                // Only onto a directory the snapshot has (followed inside it): a commons
                // mount never creates its mount point, and never lands outside.
                if (Directory.Exists(source) && files.DirectoryExists(mountPoint))
                    MountAt(source, mountPoint.TrimStart('/'), null, MountFlags.Bind, null);
            }
        ProvideResolvConf();
        try
        {
            files.WriteTextAtomically(MarkerRelativePath, Id + "\n");
            _markerWritten = true;
        }
        catch (UnresolvedInSnapshotException e)
        {
            // Without the marker the commit hook still stands aside: the change's root is not pid 1's.
            _ctx.Say($"no transaction marker in the snapshot ({e.Message})");
        }
    }

    /// <summary>
    /// Mounts onto a place resolved inside the snapshot and held open while mounting, so no
    /// symlink (absolute, <c>..</c>, or swapped in meanwhile) can redirect the mount outside.
    /// A place that does not resolve inside the snapshot is skipped, with a word. Returns the
    /// place relative to the root, or null when nothing was mounted.
    /// </summary>
    string? MountAt(string source, string relative, string? fsType, MountFlags flags, string? data)
    {
        // A file (resolv.conf) is bound onto a file: never make a directory in its place.
        var onFile = File.Exists(source) && !Directory.Exists(source);
        MountTarget target;
        try { target = Files.OpenForMount(relative, onFile); }
        catch (UnresolvedInSnapshotException e)
        {
            _ctx.Say($"not mounting {source} on /{relative} in the new generation: {e.Message}");
            return null;
        }
        using (target)
        {
            _ctx.Mounts.Mount(source, target.Path, fsType, flags, data);
            _mounts.Add(target.RealPath);
            if (flags.HasFlag(MountFlags.Bind) && flags.HasFlag(MountFlags.ReadOnly))
                _ctx.Mounts.Mount(source, target.RealPath, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
            return target.RelativePath;
        }
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
        var files = Files;
        string? inside;
        try { inside = files.Resolve("etc/resolv.conf"); }
        catch (UnresolvedInSnapshotException e)
        {
            _ctx.Say($"no DNS in the new generation: {e.Message}");
            return;
        }
        if (inside is null) return;
        try
        {
            if (_scratchPlaces.Any(p => inside.StartsWith(p + "/", StringComparison.Ordinal)))
            {
                files.CreateDirectory(Path.GetDirectoryName(inside)!);
                files.WriteTextAtomically(inside, content);
            }
            else if (files.FileExists(inside))
                MountAt(Path.GetFullPath(hostPath), inside, null, MountFlags.Bind | MountFlags.ReadOnly, null);
        }
        catch (UnresolvedInSnapshotException e)
        {
            _ctx.Say($"no DNS in the new generation: {e.Message}");
        }
    }

    /// <summary>Stage 5: runs a command chrooted in the snapshot, with the terminal passed through.</summary>
    /// <remarks>The kernel resolves the command's paths inside the snapshot (chroot): no host-path check.</remarks>
    public int RunChrooted(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?>? environment = null) =>
        RunProcess(new ProcessSpec("chroot", [RootPath, .. command], environment));

    /// <summary>
    /// Stage 5: runs a host program (e.g. the real apk with --root) against the snapshot,
    /// after making sure none of the paths it writes leads out of the snapshot on the host.
    /// </summary>
    public int Run(ProcessSpec spec)
    {
        Interruption.ThrowIfCancelled(_cancel);
        RequireHostPathsInside();
        return RunProcess(spec);
    }

    int RunProcess(ProcessSpec spec)
    {
        Interruption.ThrowIfCancelled(_cancel);
        _ctx.Faults.Pass(FaultStages.Change);
        var code = _ctx.Processes.RunInteractive(spec);
        _ctx.Faults.Pass(FaultStages.Changed);
        return code;
    }

    /// <summary>
    /// A host program given <c>--root</c> resolves the snapshot's symlinks as the host does;
    /// it must not be led out of the snapshot by one (a base whose lib/apk/db links to /etc).
    /// </summary>
    void RequireHostPathsInside()
    {
        var files = Files;
        var paths = files.ListNames("").Concat(HostProgramPaths);
        foreach (var path in paths)
            if (files.HostResolutionOutside(path) is { } outside)
                throw new ApkgenException(
                    $"/{path} in the new generation leads out of it, to {outside} on the host: apk, run on the host with --root, would write there",
                    "make that path a directory or a link inside the generation (e.g. with apkgen exec), then try again", ExitCodes.DataError);
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
    /// Stage 6: nothing of the change may stay running or mounted (processes it left are
    /// stopped first). Disposing does it too; a commit calls it before reading the result.
    /// </summary>
    public void Unmount()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        UnmountInside();
        Interruption.ThrowIfCancelled(_cancel);
    }

    /// <summary>
    /// Stage 7, first half: writes generation.ini (state pending, what the change did) and
    /// makes the snapshot read-only. Returns the new generation as it now is on disk.
    /// </summary>
    public Generation Seal(string command)
    {
        ObjectDisposedException.ThrowIf(_done, this);
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
            Kernels = SnapshotContents.DiscoverKernels(RootPath, packages.Installed),
            State = BootState.Pending,
            AttemptsLeft = _ctx.Config.Bootcheck.Attempts,
            StateChanged = _ctx.Clock.UtcNow,
            ApkNew = ApkNewFiles.Find(BaseRootPath, RootPath),
        };
        // Not durable by itself: the syncfs of the switch makes it so before anything names it.
        _session.Store.WriteInfo(info, durable: false);
        _ctx.Btrfs.SetReadOnly(RootPath, true);
        _ctx.Faults.Pass(FaultStages.ReadOnly);
        Interruption.ThrowIfCancelled(_cancel);
        return new Generation(Id, info, HasMetadata: true, HasRoot: true, ReadOnly: true);
    }

    /// <summary>
    /// Stage 7, second half, and stage 8: the links directory with <paramref name="slots"/>
    /// and the switch of <paramref name="linkName"/> (<c>current</c>, or <c>pending</c> in
    /// trial mode) with syncfs, rename, syncfs (<see cref="LayoutStore.Publish"/>). From the
    /// rename on the transaction is committed whatever happens.
    /// </summary>
    public LinksGeneration Publish(LayoutLink linkName, IReadOnlyList<string> slots)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var links = _session.Store.Publish(linkName, slots, _ctx.NewId(), () =>
        {
            Interruption.ThrowIfCancelled(_cancel);
            // 8. The switch: past the last safe point, disposing must no longer delete what it may name.
            _done = true;
        });
        Committed = true;
        // Switched: nothing to undo any more, so a stop signal may end apkgen at once.
        _deferral.Dispose();
        return links;
    }

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
        _scratchPlaces.Clear();
        // Only if /run was not a mount: then the marker is on the snapshot's own disk.
        if (_markerWritten) Files.DeleteFile(MarkerRelativePath);
        _markerWritten = false;
    }

    /// <summary>
    /// A change can leave a daemon behind (a package's post-install starting a service);
    /// it would keep the snapshot busy and the namespace alive. Every process whose root is
    /// inside the snapshot gets SIGTERM, then SIGKILL.
    /// </summary>
    void KillLeftovers()
    {
        for (var round = 0; round < 2; round++)
        {
            var found = _ctx.ProcessTable.RootedUnder(RootPath);
            if (found.Count == 0) return;
            _ctx.Say($"stopping {found.Count} process(es) the change left running: {string.Join(' ', found)}");
            foreach (var pid in found) _ctx.ProcessTable.Signal(pid, round == 0 ? 15 : 9);
            Thread.Sleep(round == 0 ? 500 : 100);
        }
    }

    /// <summary>Undoes an uncommitted transaction: unmount, delete the snapshot.</summary>
    public void Dispose()
    {
        try { Undo(); }
        finally { _deferral.Dispose(); }
    }

    void Undo()
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
