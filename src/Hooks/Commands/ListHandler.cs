using System.CommandLine;
using System.Globalization;
using System.Text.Json;
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
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var g in state.Generations.Reverse())
            {
                w.WriteStartObject();
                w.WriteString("id", g.Id);
                w.WriteStartArray("slots");
                foreach (var s in state.Current.SlotsOf(g.Id)) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteBoolean("pending", state.Pending is { } p && p.Slots.Count > 0 && p.Slots[0] == g.Id);
                w.WriteBoolean("booted", g.Id == booted.GenerationId);
                if (g.Info.Created is { } c) w.WriteString("created", c.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                else w.WriteNull("created");
                if (g.Info.Parent is { } parent) w.WriteString("parent", parent); else w.WriteNull("parent");
                w.WriteString("state", g.State.ToString().ToLowerInvariant());
                w.WriteBoolean("metadata", g.HasMetadata);
                w.WriteBoolean("readonly", g.ReadOnly);
                w.WriteBoolean("pinned", g.Info.Pinned);
                w.WriteString("command", g.Info.Command);
                w.WriteStartObject("packages");
                w.WriteStartArray("added");
                foreach (var x in g.Info.Packages.Added) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteStartArray("removed");
                foreach (var x in g.Info.Packages.Removed) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteStartArray("upgraded");
                foreach (var x in g.Info.Packages.Upgraded) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteStartArray("downgraded");
                foreach (var x in g.Info.Packages.Downgraded) w.WriteStringValue(x.ToString());
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartArray("kernels");
                foreach (var k in g.Info.Kernels)
                {
                    w.WriteStartObject();
                    w.WriteString("flavor", k.Flavor);
                    w.WriteString("version", k.Version);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }
}
