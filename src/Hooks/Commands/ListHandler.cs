using System.CommandLine;
using System.Globalization;
using Apkgen.Core;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Space;
using Apkgen.Core.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen list [--json] [--sizes]</c>: every generation, newest first, with its slots and what it changed.</summary>
static class ListHandler
{
    public static Command Command(Composition composition)
    {
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var sizes = new Option<bool>("--sizes") { Description = "also show what each generation holds exclusively (btrfs qgroups, else an estimate that reads every file)" };
        var cmd = new Command("list", "list generations: id, slots, created, parent, state, command, package changes") { json, sizes };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            using var session = Session.Open(ctx);
            var state = session.Store.Read();
            var booted = session.ReadBooted(state);
            var building = ChangeInProgress.Find(state);
            WarnUnreadableMetadata(ctx, session, state);
            // Only on request: without quotas the sizes read every file of every generation.
            var measured = parse.GetValue(sizes)
                ? GenerationSizes.Measure(ctx.Btrfs, ctx.Space, session.Top, state.Generations.Where(g => building?.GenerationId != g.Id).Select(g => g.Id))
                : null;
            if (parse.GetValue(json)) WriteJson(ctx.Out, state, booted, building, measured);
            else WriteTable(ctx.Out, state, booted, building, measured);
            if (measured is not null && !parse.GetValue(json)) ctx.Say(measured.SourceNote);
            return 0;
        }));
        return cmd;
    }

    public static string Slots(LayoutState state, string id)
    {
        var slots = state.Current.SlotsOf(id).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (IsTrial(state, id)) slots.Add("pending");
        return slots.Count == 0 ? "-" : string.Join(',', slots);
    }

    /// <summary>True for the generation in slot 0 of <c>pending</c>: the one trial mode boots once.</summary>
    static bool IsTrial(LayoutState state, string id) => state.Pending is { } p && p.Slots.Count > 0 && p.Slots[0] == id;

    public static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?";

    /// <summary>
    /// A path on the managed filesystem as the user can find it: under the top level they
    /// gave (a directory), or relative to the top level of the device. Never under
    /// apkgen's private mount point, which exists only inside apkgen's namespace.
    /// </summary>
    public static string UserPath(SystemContext ctx, Session session, string relative)
    {
        if (Directory.Exists(session.Device)) return Path.Combine(session.Device, relative);
        // The private namespace is a copy of the user's: a mount of the same device's top
        // level (root "/" of the filesystem) other than apkgen's own is one the user sees.
        var device = Core.Linux.RealPaths.Resolve(session.Device) ?? session.Device;
        var seen = MountEntry.Parse(ctx.Mounts.ReadMountInfo()).FirstOrDefault(m =>
            m.FsType == "btrfs" && m.Root == "/" && m.MountPoint != Session.MountPointPath
            && (Core.Linux.RealPaths.Resolve(m.Source) ?? m.Source) == device);
        return seen is not null ? Path.Combine(seen.MountPoint, relative) : $"{relative} on {session.Device}";
    }

    /// <summary>One warning per generation.ini that could not be read; the verb goes on without it.</summary>
    public static void WarnUnreadableMetadata(SystemContext ctx, Session session, LayoutState state)
    {
        foreach (var g in state.Generations.Where(g => g.MetadataError is not null))
            ctx.Say(Printable.Escape($"warning: {UserPath(ctx, session, $"snapshots/{g.Id}/{GenerationInfo.FileName}")} {g.MetadataError}")
                + "; the generation is shown without its metadata (fix or delete the file: without it the generation counts as made by hand)");
    }

    /// <summary>
    /// The column STATE: the boot state (pending, good, bad) of a complete generation;
    /// "building" for the one a running change is making, "broken" for an incomplete one
    /// (no @, a plain directory, writable), "unknown" when its generation.ini is unreadable.
    /// </summary>
    public static string Condition(Generation g, ChangeInProgress.Building? building) =>
        building?.GenerationId == g.Id ? "building"
        : !g.HasRoot || !g.ReadOnly ? "broken"
        : g.MetadataError is not null ? "unknown"
        : g.State.ToString().ToLowerInvariant();

    /// <summary>The column WHAT: the command or package changes, or why the generation is special (building, a leftover, unreadable metadata).</summary>
    public static string What(Generation g, ChangeInProgress.Building? building) =>
        building?.GenerationId == g.Id ? $"a change in progress (apkgen process {building.Pid})"
        // Not "made by hand": a writable snapshot without metadata is what a crash leaves.
        : !g.HasRoot || !g.ReadOnly ? $"leftover, not a generation: it {g.WhyNotUsable()}"
        : g.MetadataError is not null ? $"unreadable {GenerationInfo.FileName}: {g.MetadataError}"
        : g.Info.Describe();

    static void WriteTable(TextWriter o, LayoutState state, Booted booted, ChangeInProgress.Building? building, GenerationSizes? sizes)
    {
        var sizeHeader = sizes is null ? "" : $"{"EXCLUSIVE",10}  ";
        o.WriteLine($"{"ID",-22}  {"SLOTS",-7}  {"CREATED (UTC)",-16}  {"STATE",-8}  {sizeHeader}WHAT");
        foreach (var g in state.Generations.Reverse())
        {
            var mark = g.Id == booted.GenerationId ? " (booted)" : "";
            var what = What(g, building);
            if (g.HasMetadata && g.MetadataError is null && !g.Info.Packages.IsEmpty && g.Info.Command.Length > 0) what += $" [{g.Info.Packages.Summary()}]";
            if (g.Info.ApkNew.Count > 0) what += $" [{g.Info.ApkNew.Count} .apk-new]";
            var size = sizes is null ? "" : $"{(sizes.Exclusive.TryGetValue(g.Id, out var b) ? Sizes.Format(b) : "-"),10}  ";
            o.WriteLine($"{Printable.Escape(g.Id),-22}  {Slots(state, g.Id),-7}  {Time(g.Info.Created),-16}  {Condition(g, building),-8}  {size}{Printable.Escape(what)}{mark}");
        }
    }

    static void WriteJson(TextWriter o, LayoutState state, Booted booted, ChangeInProgress.Building? building, GenerationSizes? sizes)
    {
        var w = new Json().StartArray();
        foreach (var g in state.Generations.Reverse())
        {
            var condition = building?.GenerationId == g.Id ? "building" : !g.HasRoot || !g.ReadOnly ? "broken" : "complete";
            w.StartObject().Value("id", g.Id).StartArray("slots");
            foreach (var s in state.Current.SlotsOf(g.Id)) w.Item(s);
            w.EndArray()
                .Value("trial", IsTrial(state, g.Id))
                .Value("booted", g.Id == booted.GenerationId)
                .Value("created", g.Info.Created?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Value("parent", g.Info.Parent)
                // As the table's STATE: an uncommitted leftover has no boot state, and the
                // implicit "good" of a hand-made generation would call it bootable.
                .Value("state", Condition(g, building))
                .Value("condition", condition)
                .Value("metadata", g.HasMetadata)
                .Value("metadata_error", g.MetadataError)
                .Value("readonly", g.ReadOnly)
                .Value("pinned", g.Info.Pinned)
                .Value("command", g.Info.Command)
                .StartObject("packages");
            Strings(w, "added", g.Info.Packages.Added.Select(x => x.ToString()));
            Strings(w, "removed", g.Info.Packages.Removed.Select(x => x.ToString()));
            Strings(w, "upgraded", g.Info.Packages.Upgraded.Select(x => x.ToString()));
            Strings(w, "downgraded", g.Info.Packages.Downgraded.Select(x => x.ToString()));
            w.EndObject().StartArray("kernels");
            foreach (var k in g.Info.Kernels)
                w.StartObject().Value("flavor", k.Flavor).Value("version", k.Version).EndObject();
            w.EndArray();
            Strings(w, "apk_new", g.Info.ApkNew);
            if (sizes is not null)
                w.Value("exclusive_bytes", sizes.Exclusive.TryGetValue(g.Id, out var b) ? b : null)
                    .Value("exclusive_source", sizes.Source switch { SizeSource.Quota => "qgroup", SizeSource.QuotaInconsistent => "qgroup-inconsistent", _ => "estimate" });
            w.EndObject();
        }
        o.WriteLine(w.EndArray().ToString());
    }

    static void Strings(Json w, string name, IEnumerable<string> values)
    {
        w.StartArray(name);
        foreach (var v in values) w.Item(v);
        w.EndArray();
    }
}
