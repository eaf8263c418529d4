using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// <c>apkgen status [--json] [--reboot-needed]</c>: what is booted, from which slot, what each
/// slot holds, and whether a reboot is needed with what it changes.
/// </summary>
static class StatusHandler
{
    /// <summary><c>status --reboot-needed</c>'s answer when no reboot is needed (0 when one is).</summary>
    public const int NoRebootNeeded = 1;

    public static Command Command(Composition composition)
    {
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var rebootNeeded = new Option<bool>("--reboot-needed")
        {
            Description = "print nothing; exit 0 when a reboot is needed, 1 when not (for scripts)",
        };
        var cmd = new Command("status", "show the booted generation, the slots, pending changes and leftovers, and whether a reboot is needed") { json, rebootNeeded };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            var device = ctx.Config.Layout.Device ?? "";
            // Monitoring runs as its own user, who cannot mount the layout: the file root keeps
            // true at every switch and boot check answers for it.
            if (parse.GetValue(rebootNeeded) && Core.Linux.Privileges.EffectiveUserId != 0)
                return RebootRequired.ReadLine(device) is null ? NoRebootNeeded : 0;
            using var session = Session.Open(ctx);
            var state = session.Store.Read();
            var booted = session.ReadBooted(state);
            var need = RebootRequired.Read(ctx, session, state);
            if (parse.GetValue(rebootNeeded)) return need is null ? NoRebootNeeded : 0;
            if (parse.GetValue(json))
            {
                WriteJson(ctx.Out, session, state, booted, need, device);
                return 0;
            }
            var building = ChangeInProgress.Find(state);
            ListHandler.WarnUnreadableMetadata(ctx, session, state);
            var o = ctx.Out;
            string E(string? s) => Printable.Escape(s);
            o.WriteLine($"device:   {E(session.Device)}");
            o.WriteLine(booted.GenerationId is null
                ? "booted:   not from this layout"
                : $"booted:   {E(booted.GenerationId)}" + (booted.Link is null ? "" : $" from {booted.Link} slot {booted.Slot}"));
            WriteReboot(o, need);
            o.WriteLine($"current:  links/{E(state.Current.Id)}");
            for (var i = 0; i < state.Current.Slots.Count; i++)
                o.WriteLine($"  slot {i}: {Describe(state, state.Current.Slots[i], building)}");
            if (state.Pending is { } p)
                o.WriteLine($"pending:  {Describe(state, p.Slots[0], building)} (trial: boots once via BootNext)");
            foreach (var links in new[] { state.Current, state.Pending }.OfType<LinksGeneration>())
                if (GapWarning(links) is { } gap) o.WriteLine($"gap:      {gap}");
            if (building is not null)
                o.WriteLine($"building: {E(building.GenerationId)}: a change in progress (apkgen process {building.Pid}); gc keeps it");
            var plan = GcPlan.Make(state, booted.GenerationId, building?.GenerationId);
            // What a crash or power cut left: not a generation anyone can boot, so it is named
            // as such rather than only counted in the gc line.
            foreach (var g in state.Generations.Where(g => ListHandler.Condition(g, building) == "broken"))
                o.WriteLine($"leftover: {E(g.Id)}: broken, {E(g.WhyNotUsable())}; "
                    + (plan.DeleteGenerations.Contains(g.Id) ? "'apkgen gc' deletes it" : $"gc keeps it ({E(plan.Kept.GetValueOrDefault(g.Id))})"));
            if (!plan.IsEmpty)
                o.WriteLine($"gc:       {plan.DeleteGenerations.Count} generation(s) and {plan.DeleteLinks.Count} links director(ies) unused: 'apkgen gc' deletes them");
            foreach (var g in state.Generations.Where(g => g.State == BootState.Bad))
                o.WriteLine($"bad:      {E(g.Id)}: {E(g.Info.Reason ?? "failed to boot")}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>
    /// The <c>reboot:</c> block: needed or not, and from the running generation to the next
    /// boot's the package changes (as <c>apkgen diff</c> prints them), the kernel, the services.
    /// </summary>
    static void WriteReboot(TextWriter o, RebootNeed? need)
    {
        string E(string? s) => Printable.Escape(s);
        if (need is null)
        {
            o.WriteLine("reboot:   not needed (the running generation is the one the next boot starts)");
            return;
        }
        o.WriteLine(need.Trial
            ? $"reboot:   needed: the next boot tries {E(need.Next)} once (slot 0 of pending, trial mode)"
            : $"reboot:   needed: the next boot starts {E(need.Next)} (slot 0 of current)" + (need.Older ? ", older than the running one: a rollback" : ""));
        const string indent = "          ";
        if (need.Packages is not { } p)
        {
            o.WriteLine(indent + (need.Booted is null
                ? "the running root is not a generation of this layout: nothing to compare"
                : "the changes are unknown: a root could not be read"));
            return;
        }
        foreach (var x in p.Added) o.WriteLine($"{indent}+ {E(x.ToString())}");
        foreach (var x in p.Removed) o.WriteLine($"{indent}- {E(x.ToString())}");
        foreach (var x in p.Upgraded) o.WriteLine($"{indent}^ {E(x.ToString())}");
        foreach (var x in p.Downgraded) o.WriteLine($"{indent}v {E(x.ToString())}");
        if (p.IsEmpty) o.WriteLine(indent + "no package changes");
        if (need.KernelChanges)
            o.WriteLine($"{indent}kernel: {E(RebootNeed.Describe(need.BootedKernel))} -> {E(RebootNeed.Describe(need.NextKernel))}"
                + (need.RunningKernel is { } r ? $" (running {E(r)})" : ""));
        if (need.Services.Count > 0)
            o.WriteLine($"{indent}services: {E(string.Join(' ', need.Services))} (their packages change)");
    }

    static void WriteJson(TextWriter o, Session session, LayoutState state, Booted booted, RebootNeed? need, string device)
    {
        var (next, trial) = RebootRequired.NextBoot(state);
        var w = new Json().StartObject()
            .Value("device", session.Device)
            .Value("booted", booted.GenerationId)
            .Value("current", state.Current.Id)
            .Value("pending", state.Pending?.Slots.Count > 0 ? state.Pending.Slots[0] : null)
            .Value("next_boot", next)
            .Value("next_boot_is_trial", next is not null && trial)
            .Value("reboot_needed", need is not null)
            .Value("reboot_required_file", RebootRequired.PathFor(device));
        if (need is null) w.Value("reboot", (string?)null);
        else
        {
            w.StartObject("reboot")
                .Value("booted", need.Booted)
                .Value("next", need.Next)
                .Value("trial", need.Trial)
                .Value("rollback", need.Older)
                .Value("changes_known", need.Packages is not null)
                .StartObject("packages");
            var p = need.Packages ?? PackageChanges.None;
            Strings(w, "added", p.Added.Select(x => x.ToString()));
            Strings(w, "removed", p.Removed.Select(x => x.ToString()));
            Strings(w, "upgraded", p.Upgraded.Select(x => x.ToString()));
            Strings(w, "downgraded", p.Downgraded.Select(x => x.ToString()));
            w.EndObject().StartObject("kernel").Value("running", need.RunningKernel);
            Kernel(w, "booted", need.BootedKernel);
            Kernel(w, "next", need.NextKernel);
            w.Value("changes", need.KernelChanges).EndObject();
            Strings(w, "services", need.Services);
            w.EndObject();
        }
        o.WriteLine(w.EndObject().ToString());
    }

    static void Kernel(Json w, string name, KernelInfo? kernel)
    {
        if (kernel is not { } k) w.Value(name, (string?)null);
        else w.StartObject(name).Value("flavor", k.Flavor).Value("version", k.Version).EndObject();
    }

    static void Strings(Json w, string name, IEnumerable<string> values)
    {
        w.StartArray(name);
        foreach (var v in values) w.Item(v);
        w.EndArray();
    }

    /// <summary>The line that reports slots naming no generation (removed by hand), or null.</summary>
    public static string? GapWarning(LinksGeneration links)
    {
        var gaps = links.Gaps;
        if (gaps.Count == 0) return null;
        return $"links/{Printable.Escape(links.Id)} has no generation in slot(s) {string.Join(',', gaps)} (removed or changed by hand); "
            + "gc keeps what every other slot names; the next change or 'apkgen rollback' writes a complete links directory";
    }

    static string Describe(LayoutState state, string? id, ChangeInProgress.Building? building)
    {
        if (id is null) return "(no generation: the link is missing or names something else)";
        var g = state.Find(id);
        if (g is null) return $"{Printable.Escape(id)} (missing!)";
        var condition = ListHandler.Condition(g, building);
        if (g.State == BootState.Pending && g.MetadataError is null && g.Info.AttemptsLeft > 0) condition += $", {g.Info.AttemptsLeft} boot attempt(s) left";
        return Printable.Escape($"{id}  {ListHandler.Time(g.Info.Created)}  {condition}  {ListHandler.What(g, building)}");
    }
}
