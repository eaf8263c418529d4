using System.CommandLine;
using System.Globalization;
using Apkgen.Generations;
using Apkgen.Generations.Layout;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen list [--json]</c>: every generation, newest first, with its slots and what it changed.</summary>
static class ListHandler
{
    public static Command Command()
    {
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var cmd = new Command("list", "list generations: id, slots, created, parent, state, command, package changes") { json };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            using var session = Session.Open(ctx);
            var state = session.Store.Read();
            var booted = session.ReadBooted(state);
            if (parse.GetValue(json)) WriteJson(ctx.Out, state, booted);
            else WriteTable(ctx.Out, state, booted);
            return 0;
        }));
        return cmd;
    }

    public static string Slots(LayoutState state, string id)
    {
        var slots = state.Current.SlotsOf(id).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (state.Pending is { } p && p.Slots.Count > 0 && p.Slots[0] == id) slots.Add("pending");
        return slots.Count == 0 ? "-" : string.Join(',', slots);
    }

    public static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?";

    static void WriteTable(TextWriter o, LayoutState state, Booted booted)
    {
        o.WriteLine($"{"ID",-22}  {"SLOTS",-7}  {"CREATED (UTC)",-16}  {"STATE",-8}  WHAT");
        foreach (var g in state.Generations.Reverse())
        {
            var mark = g.Id == booted.GenerationId ? " (booted)" : "";
            var what = g.Info.Describe();
            if (g.HasMetadata && !g.Info.Packages.IsEmpty && g.Info.Command.Length > 0) what += $" [{g.Info.Packages.Summary()}]";
            var st = !g.HasRoot || !g.ReadOnly ? "broken" : g.State.ToString().ToLowerInvariant();
            o.WriteLine($"{g.Id,-22}  {Slots(state, g.Id),-7}  {Time(g.Info.Created),-16}  {st,-8}  {what}{mark}");
        }
    }

    static void WriteJson(TextWriter o, LayoutState state, Booted booted)
    {
        var w = new Json().StartArray();
        foreach (var g in state.Generations.Reverse())
        {
            w.StartObject().Value("id", g.Id).StartArray("slots");
            foreach (var s in state.Current.SlotsOf(g.Id)) w.Item(s);
            w.EndArray()
                .Value("pending", state.Pending is { } p && p.Slots.Count > 0 && p.Slots[0] == g.Id)
                .Value("booted", g.Id == booted.GenerationId)
                .Value("created", g.Info.Created?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Value("parent", g.Info.Parent)
                .Value("state", g.State.ToString().ToLowerInvariant())
                .Value("metadata", g.HasMetadata)
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
            w.EndArray().EndObject();
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
