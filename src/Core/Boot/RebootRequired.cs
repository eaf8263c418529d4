using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Boot;

/// <summary>
/// "A reboot is needed": the generation the next boot starts (slot 0 of <c>pending</c> in
/// trial mode, else slot 0 of <c>current</c>) is not the running one. <see cref="Decide"/>
/// says so from the layout and the two roots' contents (pure); <see cref="Refresh(SystemContext, Session, LayoutState, Action{string})"/> reads
/// them and makes <c>/run/apkgen/reboot-required</c> exist exactly when it is so, after every
/// switch (apkgen) and every boot check (apkgen-bootcheck). The file is on the /run tmpfs, as
/// Debian's <c>/run/reboot-required</c> (which monitoring and login notices already look
/// for): a reboot removes it, and the early check writes it again if the boot did not start
/// the next boot's generation (a fallback picked by hand).
/// </summary>
public static class RebootRequired
{
    const string BasePath = "/run/apkgen/reboot-required";

    /// <summary>Suffix of the file beside it that names the changed packages, one a line (Debian's <c>.pkgs</c>).</summary>
    public const string PackagesSuffix = ".pkgs";

    /// <summary>
    /// The file for a configuration's [layout] device as written ("" when unset): the plain
    /// <c>/run/apkgen/reboot-required</c> that the login notice and monitoring read when the
    /// device is unset or holds the running root (the real mountinfo's <c>/</c>, never a test
    /// fixture); else <c>reboot-required@%dev%loop3</c> for /dev/loop3, so a sandbox, a test or
    /// a rescue system managing another disk never touches the running system's file.
    /// </summary>
    public static string PathFor(string configuredDevice) => PathFor(configuredDevice, new LinuxRunningSystem());

    /// <summary><see cref="PathFor(string)"/>, asking <paramref name="running"/> whether the device holds the running root.</summary>
    public static string PathFor(string configuredDevice, IRunningSystem running) =>
        configuredDevice.Length == 0 || running.HoldsRoot(configuredDevice) ? BasePath : BasePath + "@" + configuredDevice.Replace('/', '%');

    /// <summary>What the next boot starts: slot 0 of a trial when there is one, else slot 0 of current (null when that link is broken).</summary>
    public static (string? Id, bool Trial) NextBoot(LayoutState state) =>
        state.Pending is { Slots: [{ } trial, ..] } ? (trial, true)
        : (state.Current.Slots.Count > 0 ? state.Current.Slots[0] : null, false);

    /// <summary>
    /// The decision, pure. Null when no reboot is needed: the running generation is the next
    /// boot's (also while a trial runs: it becomes current when it boots well), or slot 0
    /// names no generation (rebooting would not help). <paramref name="flavor"/> is
    /// [refind] flavor ("-" for a bare vmlinuz).
    /// </summary>
    public static RebootNeed? Decide(LayoutState state, string? booted, GenerationContents? bootedContents,
        GenerationContents? nextContents, string? runningKernel, string? flavor)
    {
        var (next, trial) = NextBoot(state);
        if (next is null || next == booted) return null;
        var order = state.Generations.Select(g => g.Id).ToList();
        var older = booted is not null && order.IndexOf(next) is >= 0 and var n && order.IndexOf(booted) is var b && n < b;
        if (booted is null || bootedContents is null || nextContents is null)
            return new RebootNeed(booted, next, trial, older, null, null, null, runningKernel, []);
        var packages = PackageChanges.Between(bootedContents.Installed, nextContents.Installed);
        var configured = flavor == "-" ? "" : flavor;
        // The running kernel's release ends in its flavour (Alpine: 6.6.52-0-lts).
        var runningFlavor = bootedContents.Kernels.Select(k => k.Flavor)
            .FirstOrDefault(f => f.Length > 0 && runningKernel?.EndsWith("-" + f, StringComparison.Ordinal) == true);
        return new RebootNeed(booted, next, trial, older, packages,
            Choose(bootedContents.Kernels, runningFlavor ?? configured), Choose(nextContents.Kernels, configured),
            runningKernel, Services(packages, bootedContents, nextContents));
    }

    /// <summary>
    /// The services whose packages changed: the <c>/etc/init.d</c> files an added, upgraded or
    /// downgraded package owns in the next generation, and those a removed, upgraded or
    /// downgraded package owned in the running one.
    /// </summary>
    static List<string> Services(PackageChanges packages, GenerationContents booted, GenerationContents next)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void From(GenerationContents c, string package)
        {
            if (c.InitScripts.TryGetValue(package, out var files)) names.UnionWith(files);
        }
        foreach (var p in packages.Added) From(next, p.Name);
        foreach (var p in packages.Removed) From(booted, p.Name);
        foreach (var c in packages.Upgraded.Concat(packages.Downgraded))
        {
            From(booted, c.Name);
            From(next, c.Name);
        }
        return [.. names];
    }

    /// <summary>The kernel rEFInd boots of a generation: the preferred flavour when it has it, else the best ranked (as RefindMenuBuilder).</summary>
    static KernelInfo? Choose(IReadOnlyList<KernelInfo> kernels, string? flavor) =>
        Refind.KernelChoice.Choose(new Refind.GenerationBoot(kernels, new HashSet<string>()), flavor)?.Kernel;

    /// <summary>
    /// Reads what <see cref="Decide"/> needs: the booted generation (mountinfo), the two
    /// roots' databases and <c>/boot</c> (resolved inside them), the running kernel's release.
    /// The roots are read only when the two generations differ. A root that cannot be read
    /// leaves the changes unknown; the need itself is still told.
    /// </summary>
    public static RebootNeed? Read(SystemContext ctx, Session session, LayoutState state)
    {
        var booted = session.ReadBooted(state).GenerationId;
        var (next, _) = NextBoot(state);
        if (next is null || next == booted) return null;
        return Decide(state, booted, Contents(session, state, booted), Contents(session, state, next), ctx.RunningSystem.KernelRelease(), ctx.Config.Refind.Flavor);
    }

    static GenerationContents? Contents(Session session, LayoutState state, string? id)
    {
        if (id is null || state.Find(id) is not { HasRoot: true }) return null;
        try
        {
            return GenerationContents.Read(new ConfinedRoot(session.Top.RootSubvolumePath(id)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Edge.UnresolvedInSnapshotException)
        {
            return null;
        }
    }

    /// <summary>
    /// After a switch of current or pending, or a boot check: decides and makes the file
    /// say it. Never fails the verb: the switch has happened; a failure only warns.
    /// </summary>
    public static RebootNeed? Refresh(SystemContext ctx, Session session, LayoutState state, Action<string> warn)
    {
        RebootNeed? need = null;
        try
        {
            need = Read(ctx, session, state);
        }
        catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException or FormatException)
        {
            warn($"warning: whether a reboot is needed is unknown ({e.Message}); {PathFor(ctx.Config.Layout.Device ?? "", ctx.RunningSystem)} is left as it was");
            return null;
        }
        Apply(ctx.Config.Layout.Device ?? "", ctx.RunningSystem, need, warn);
        return need;
    }

    /// <summary>
    /// <see cref="Refresh(SystemContext, Session, LayoutState, Action{string})"/> for
    /// apkgen-bootcheck, in the session of the verb that ran. <paramref name="state"/> is the
    /// layout as the verb left it; null when it did not read it (the early check with nothing
    /// to do): then the common case at every boot (no trial, slot 0 booted) reads two links,
    /// not the layout. A device without a layout is no reboot to ask for, silently.
    /// </summary>
    public static void RefreshAtBoot(SystemContext ctx, Session session, LayoutState? state, Action<string> warn)
    {
        var device = ctx.Config.Layout.Device ?? "";
        try
        {
            if (state is null && SlotZeroIsBooted(session))
            {
                Apply(device, ctx.RunningSystem, null, warn);
                return;
            }
            Refresh(ctx, session, state ?? session.Store.Read(), warn);
        }
        catch (ApkgenException e) when (e.ExitCode == ExitCodes.NoLayout)
        {
            Apply(device, ctx.RunningSystem, null, warn);
        }
        catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException or FormatException)
        {
            warn($"warning: {PathFor(device, ctx.RunningSystem)} was not updated ({e.Message})");
        }
    }

    static bool SlotZeroIsBooted(Session session)
    {
        var top = session.Top;
        if (new FileInfo(top.PendingLinkPath).LinkTarget is not null) return false;
        var booted = BootedRoot.From(session.MountInfo)?.GenerationId;
        var links = new FileInfo(top.CurrentLinkPath).LinkTarget is { } c ? TopLevel.IdFromLinksTarget(c) : null;
        var slot0 = links is null ? null : new FileInfo(Path.Combine(top.LinksGenerationDirPath(links), "0")).LinkTarget is { } t ? TopLevel.IdFromSlotTarget(t) : null;
        return booted is not null && slot0 == booted && Directory.Exists(top.RootSubvolumePath(booted));
    }

    /// <summary>
    /// Makes the file (and its <c>.pkgs</c>) exist exactly when <paramref name="need"/> is not
    /// null: written whole under a temporary name and renamed, mode 0644 (the login notice of
    /// every user reads it); the package list first, so it is there whenever the file is.
    /// </summary>
    public static void Apply(string configuredDevice, RebootNeed? need, Action<string> warn) =>
        Apply(configuredDevice, new LinuxRunningSystem(), need, warn);

    /// <summary><see cref="Apply(string, RebootNeed?, Action{string})"/>, asking <paramref name="running"/> which file is the device's.</summary>
    public static void Apply(string configuredDevice, IRunningSystem running, RebootNeed? need, Action<string> warn)
    {
        var path = PathFor(configuredDevice, running);
        try
        {
            if (need is null)
            {
                File.Delete(path);
                File.Delete(path + PackagesSuffix);
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var names = need.PackageNames;
            Write(path + PackagesSuffix, names.Count == 0 ? "" : string.Join('\n', names.Select(Printable.Escape)) + "\n");
            Write(path, need.Line() + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"warning: {path} was not {(need is null ? "removed" : "written")} ({e.Message})");
        }
    }

    // /run is a tmpfs, gone at every boot: whole files by rename, no fsync (durable: false).
    static void Write(string path, string text) => Layout.AtomicFile.Write(path, text, durable: false);

    /// <summary>
    /// For a user who is not root (and cannot mount the layout): whether the file says a
    /// reboot is needed, and its line. Root's every switch and every boot check keep it true.
    /// </summary>
    public static string? ReadLine(string configuredDevice)
    {
        try
        {
            return File.Exists(PathFor(configuredDevice)) ? File.ReadAllText(PathFor(configuredDevice)).Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
