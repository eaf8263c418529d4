using System.Globalization;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Boot;

/// <summary>
/// The verbs of apkgen-bootcheck(8) on a real layout: read the facts, let
/// <see cref="BootAssessment"/> decide, apply the plan durably, reboot last (after the top
/// level is synced and unmounted).
/// </summary>
public sealed class BootRunner
{
    /// <summary>Where this boot's records live (tmpfs, gone at reboot).</summary>
    public const string DefaultRunDirPath = "/run/apkgen";

    readonly SystemContext _ctx;
    readonly string _runDirPath;
    readonly Func<DateTime?> _bootTime;

    /// <summary>Creates the runner; tests give their own run directory and boot time.</summary>
    public BootRunner(SystemContext ctx, string? runDirPath = null, Func<DateTime?>? bootTime = null)
    {
        _ctx = ctx;
        _runDirPath = runDirPath ?? DefaultRunDirPath;
        _bootTime = bootTime ?? ctx.RunningSystem.BootTime;
    }

    /// <summary>Exists once the early check ran in this boot: a second run must not spend another attempt.</summary>
    public string EarlyDoneFilePath => Path.Combine(_runDirPath, "early-done");

    /// <summary>
    /// The early check (OpenRC <c>boot</c> runlevel). Runs at every boot, so the common case
    /// (the booted generation is not pending, no trial) costs one mountinfo read, one mount,
    /// one readlink and one generation.ini, and starts no process.
    /// </summary>
    public int Early()
    {
        if (File.Exists(EarlyDoneFilePath))
        {
            Say("the early check already ran in this boot: nothing counted twice");
            return 0;
        }
        // Read once for the whole check: the session takes them, not reading them again.
        var mounts = MountEntry.Parse(_ctx.Mounts.ReadMountInfo());
        var id = BootedRoot.From(mounts)?.GenerationId;
        if (id is null)
        {
            Say("the running root is not a generation of an apkgen layout: nothing to assess");
            MarkEarlyDone();
            RefreshRebootRequiredAlone(mounts);
            return 0;
        }
        var reboot = false;
        using (var session = Session.Open(_ctx, mountInfo: mounts))
        {
            if (new FileInfo(session.Top.PendingLinkPath).LinkTarget is null && !IsPending(session.Top, id))
            {
                MarkEarlyDone();
                // The layout is not read: the common case checks two links.
                RefreshRebootRequired(session, null);
                return 0;
            }
            session.Lock(60);
            var facts = Facts(session);
            var plan = BootAssessment.Early(facts);
            Say(plan.Messages);
            // Before applying: whatever happens next, this boot's attempt is counted once.
            MarkEarlyDone();
            reboot = ApplyAndRefresh(session, plan, facts.State);
        }
        return reboot ? RebootNow() : 0;
    }

    /// <summary>
    /// The late check (OpenRC <c>default</c> runlevel, after every other service): shows
    /// notices carried over a reboot, runs the health checks when the booted generation is
    /// on trial, and applies the verdict.
    /// </summary>
    public int Late()
    {
        var mounts = MountEntry.Parse(_ctx.Mounts.ReadMountInfo());
        if (BootedRoot.From(mounts)?.GenerationId is null)
        {
            Say("the running root is not a generation of an apkgen layout: nothing to assess");
            RefreshRebootRequiredAlone(mounts);
            return 0;
        }
        var reboot = false;
        using (var session = Session.Open(_ctx, mountInfo: mounts))
        {
            var events = new BootEvents(_ctx, session.Top, _runDirPath);
            if (events.PublishCarried()) _ctx.Btrfs.SyncFs(session.Top.TopDirPath);
            // The checks run without the lock: they may take minutes, and apk must not wait.
            var health = HealthReport.None;
            if (BootAssessment.NeedsHealthChecks(Facts(session)))
            {
                var cfg = _ctx.Config.Bootcheck;
                var found = HealthChecks.Find(cfg.HealthDir);
                Say(found.Count == 0
                    ? $"no health checks in {cfg.HealthDir}: the boot reaching this point counts as healthy"
                    : $"running {found.Count} health check(s) from {cfg.HealthDir}, {cfg.HealthTimeout} s each at most");
                health = HealthChecks.Run(_ctx.Processes, cfg.HealthDir, TimeSpan.FromSeconds(cfg.HealthTimeout),
                    r => Say($"  {r.Name}: {(r.Passed ? "ok" : r.Describe())} ({r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)"));
            }
            session.Lock(60);
            var facts = Facts(session);
            var plan = BootAssessment.Late(facts, health);
            Say(plan.Messages);
            reboot = ApplyAndRefresh(session, plan, facts.State);
        }
        return reboot ? RebootNow() : 0;
    }

    /// <summary><c>status</c>: the booted generation's boot state, pending trial, checks, recent events.</summary>
    public int Status(int events = 10)
    {
        using var session = Session.Open(_ctx);
        var state = session.Store.Read();
        var booted = session.ReadBooted(state);
        var o = _ctx.Out;
        var cfg = _ctx.Config.Bootcheck;
        o.WriteLine($"mode:      {cfg.Mode.Word()}" + (cfg.Mode == BootcheckMode.Counter ? $", {cfg.Attempts} attempt(s)" : $", rEFInd {cfg.RefindLoader} -c {cfg.TrialConfig}"));
        if (booted.GenerationId is { } id && state.Find(id) is { } g)
            o.WriteLine($"booted:    {id}" + (booted.Link is null ? "" : $" from {booted.Link} slot {booted.Slot}") + $": {Describe(g)}");
        else
            o.WriteLine("booted:    not from this layout");
        var slot0 = state.Current.Slots[0];
        o.WriteLine($"slot 0:    {slot0}" + (slot0 is not null && state.Find(slot0) is { } s0 ? $": {Describe(s0)}" : " (broken link)"));
        if (state.Pending?.Slots[0] is { } trial)
            o.WriteLine($"pending:   {trial}" + (state.Find(trial) is { } tg ? $": {Describe(tg)}" : "") + " (boots once through BootNext)");
        foreach (var bad in state.Generations.Where(x => x.State == BootState.Bad))
            o.WriteLine($"bad:       {bad.Id}: {bad.Info.Reason ?? "failed to boot"}");
        var checks = HealthChecks.Find(cfg.HealthDir);
        o.WriteLine($"checks:    {checks.Count} in {cfg.HealthDir}, {cfg.HealthTimeout} s each, on failure: {cfg.OnFailure.Word()}" +
                    (checks.Count == 0 ? "" : " (" + string.Join(' ', checks.Select(Path.GetFileName)) + ")"));
        var tail = BootEvents.Tail(session.Top, events);
        o.WriteLine(tail.Count == 0 ? "events:    none" : "events:");
        foreach (var line in tail) o.WriteLine("  " + line);
        if (File.Exists(BootEvents.CarriedNoticeFilePath(session.Top)))
            o.WriteLine("notice:    waiting for the next late check: " + File.ReadAllText(BootEvents.CarriedNoticeFilePath(session.Top)).Trim());
        return 0;
    }

    /// <summary><c>mark-good ID</c>: by hand, e.g. after checking a generation yourself.</summary>
    public int MarkGood(string id)
    {
        using var session = Session.Open(_ctx);
        session.Lock(60);
        var state = session.Store.Read();
        var g = Known(state, id);
        if (g.State == BootState.Good)
        {
            Say($"{id} is already good");
            RefreshRebootRequired(session, state);
            return 0;
        }
        ApplyAndRefresh(session, new BootPlan(
            [new SetBootState(id, BootState.Good, "marked good by hand"), new RecordEvent($"{id} marked good by hand", Notify: false)], []), state);
        return 0;
    }

    /// <summary>
    /// <c>mark-bad ID</c>: marks it bad; when it is slot 0 it is demoted as a failed boot would
    /// be (without a reboot); when it is on trial, the trial is dropped.
    /// </summary>
    public int MarkBad(string id, string? reason)
    {
        using var session = Session.Open(_ctx);
        session.Lock(60);
        var state = session.Store.Read();
        var g = Known(state, id);
        reason ??= "marked bad by hand";
        var steps = new List<BootStep>();
        if (state.Current.Slots[0] == id)
        {
            if (!state.Current.Slots.Any(s => s is not null && s != id))
                throw new ApkgenException($"{id} is the only generation in current: there is nothing to fall back to",
                    "commit or roll back to another generation first", ExitCodes.NoPermission);
            var slots = LinksPlanner.Demote(state.Current.Slots, id, _ctx.Config.Layout.Links, x => state.Find(x)?.State == BootState.Good);
            steps.Add(new SwitchCurrent(slots));
            Say($"{id} left slot 0; slot 0 is now {slots[0]}");
        }
        steps.Add(new SetBootState(id, BootState.Bad, reason));
        if (state.Pending?.Slots[0] == id) steps.Add(new DropPending());
        if (steps.Count > 1) steps.Add(new RefreshBootMenu());
        steps.Add(new RecordEvent($"{id} marked bad by hand: {reason}", Notify: false));
        ApplyAndRefresh(session, new BootPlan(steps, []), state);
        if (session.ReadBooted(state).GenerationId == id && g.State != BootState.Bad)
            Say("it is the running generation: reboot to leave it");
        return 0;
    }

    /// <summary>
    /// Applies a plan in order: every state change is written atomically and synced before
    /// the next step, the event record before the reboot. Returns whether to reboot.
    /// </summary>
    public bool Apply(Session session, BootPlan plan) => Apply(session, plan, out _);

    /// <summary>
    /// <see cref="Apply(Session, BootPlan)"/>, then <c>/run/apkgen/reboot-required</c> made true
    /// in the same session: with <paramref name="before"/> (the layout the plan was made from)
    /// when the plan changed no link, not again when the plan's last link change was followed
    /// by its menu refresh (<see cref="UseCases.AfterLayoutChange"/> refreshed it with the
    /// layout it read), else from the links on disk.
    /// </summary>
    bool ApplyAndRefresh(Session session, BootPlan plan, LayoutState before)
    {
        var reboot = Apply(session, plan, out var after);
        if (after is not { Refreshed: true }) RefreshRebootRequired(session, after is null ? before : after.State);
        return reboot;
    }

    /// <summary>The layout after a plan: unchanged (null), read again and refreshed by the menu step, or changed and not read (State null).</summary>
    sealed record AfterPlan(LayoutState? State, bool Refreshed);

    bool Apply(Session session, BootPlan plan, out AfterPlan? after)
    {
        after = null;
        var store = session.Store;
        var top = session.Top.TopDirPath;
        var events = new BootEvents(_ctx, session.Top, _runDirPath);
        var reboot = false;
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case SpendAttempt s:
                    // Durable before anything else of this boot can fail: a crash or hang
                    // after this point still counts the attempt.
                    store.WriteInfo(store.ReadGeneration(s.Id).Info with { AttemptsLeft = s.AttemptsLeft });
                    _ctx.Btrfs.SyncFs(top);
                    break;
                case SetBootState s:
                    var info = store.ReadGeneration(s.Id).Info;
                    store.WriteInfo(info with
                    {
                        State = s.State,
                        Reason = s.Reason,
                        StateChanged = _ctx.Clock.UtcNow,
                        AttemptsLeft = s.State == BootState.Pending ? info.AttemptsLeft : 0,
                    });
                    _ctx.Btrfs.SyncFs(top);
                    break;
                case SwitchCurrent s:
                    store.Publish(LayoutLink.Current, s.Slots, _ctx.NewId());
                    after = new AfterPlan(null, false);
                    break;
                case PromotePending p:
                    store.Switch(LayoutLink.Current, p.LinksId);
                    after = new AfterPlan(null, false);
                    break;
                case DropPending:
                    store.RemovePending();
                    after = new AfterPlan(null, false);
                    break;
                case RefreshBootMenu:
                    // Read again: the steps above changed current or pending. Boot assessment never runs gc.
                    var now = store.Read();
                    UseCases.AfterLayoutChange.Run(_ctx, session, now, session.ReadBooted(now).GenerationId, new(Say, Gc: false));
                    after = new AfterPlan(now, true);
                    break;
                case RecordEvent e:
                    events.Record(e.Message, e.Notify, plan.Reboots);
                    break;
                case Reboot:
                    reboot = true;
                    break;
            }
        }
        // rEFInd reads only committed trees: everything above is on disk before any reboot.
        if (plan.Steps.Count > 0) _ctx.Btrfs.SyncFs(top);
        return reboot;
    }

    /// <summary>
    /// Makes <c>/run/apkgen/reboot-required</c> true after a verb, in its session: with the
    /// layout it holds, or (null) from the two links of the common case at every boot.
    /// </summary>
    void RefreshRebootRequired(Session session, LayoutState? state) =>
        RebootRequired.RefreshAtBoot(_ctx, session, state, Say);

    /// <summary>
    /// The one case where the verb opened no session (the running root is no generation): the
    /// configured device may still hold a layout whose next boot is not the running root.
    /// </summary>
    void RefreshRebootRequiredAlone(IReadOnlyList<MountEntry> mounts)
    {
        try
        {
            using var session = Session.Open(_ctx, mountInfo: mounts);
            RefreshRebootRequired(session, null);
        }
        catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException)
        {
            Say($"warning: {RebootRequired.PathFor(_ctx.Config.Layout.Device ?? "", _ctx.RunningSystem)} was not updated ({e.Message})");
        }
    }

    int RebootNow()
    {
        Say("rebooting");
        _ctx.Out.Flush();
        var code = _ctx.Processes.RunInteractive(new ProcessSpec("reboot", []));
        if (code != 0) Say($"reboot exited with {code}: reboot by hand to fall back");
        return code == 0 ? 0 : ExitCodes.Failure;
    }

    BootFacts Facts(Session session)
    {
        var state = session.Store.Read();
        return new BootFacts(state, session.ReadBooted(state), _ctx.Config.Bootcheck, _ctx.Config.Layout.Links, _bootTime());
    }

    static Generation Known(LayoutState state, string id) =>
        (GenerationId.IsSafeName(id) ? state.Find(id) : null)
        ?? throw new ApkgenException($"there is no generation {id}", "see 'apkgen list' for the ids", ExitCodes.DataError);

    static bool IsPending(TopLevel top, string id)
    {
        var path = top.InfoFilePath(id);
        if (!File.Exists(path)) return false; // a generation without metadata counts as good
        try { return GenerationInfo.Parse(id, File.ReadAllText(path)).State == BootState.Pending; }
        catch (FormatException) { return true; } // let the full read report it
    }

    static string Describe(Generation g) =>
        g.State switch
        {
            BootState.Pending => $"pending, {g.Info.AttemptsLeft} attempt(s) left",
            BootState.Bad => "bad: " + (g.Info.Reason ?? "failed to boot"),
            _ => "good" + (g.Info.Reason is { } r ? $" ({r})" : ""),
        };

    void MarkEarlyDone()
    {
        try
        {
            Directory.CreateDirectory(_runDirPath);
            File.WriteAllText(EarlyDoneFilePath, "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Say($"could not write {EarlyDoneFilePath}: {e.Message}");
        }
    }

    void Say(IEnumerable<string> lines)
    {
        foreach (var l in lines) Say(l);
    }

    void Say(string line) => _ctx.Err.WriteLine("apkgen-bootcheck: " + line);
}
