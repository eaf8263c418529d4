using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Files;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// <c>apkgen diff [A] [B]</c>: package and world changes from A to B (default: slot 1 to slot 0);
/// with <c>--files</c> the paths added, removed and changed (FileDiffer), as text or <c>--json</c>.
/// </summary>
static class DiffHandler
{
    public static Command Command(Composition composition)
    {
        var a = new Argument<string>("from") { Description = "generation id or slot (default 1)", DefaultValueFactory = _ => "1" };
        var b = new Argument<string>("to") { Description = "generation id or slot (default 0)", DefaultValueFactory = _ => "0" };
        var files = new Option<bool>("--files") { Description = "show the paths added (A), removed (D) and changed (M) instead of packages" };
        var json = new Option<bool>("--json") { Description = "with --files: print JSON" };
        var walk = new Option<bool>("--walk") { Description = "with --files: walk both trees even when btrfs can name the changes" };
        var cmd = new Command("diff", "show package changes between two generations, from their apk databases, or with --files the changed paths") { a, b, files, json, walk };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            using var session = Session.Open(ctx);
            var state = session.Store.Read();
            var from = BaseSelector.Resolve(state, parse.GetValue(a)!);
            var to = BaseSelector.Resolve(state, parse.GetValue(b)!);
            var fromRoot = session.Top.RootSubvolumePath(from);
            var toRoot = session.Top.RootSubvolumePath(to);
            // A missing root would read as an empty database: "every package added".
            foreach (var (id, root) in new[] { (from, fromRoot), (to, toRoot) })
                if (!Directory.Exists(root))
                    throw new ApkgenException($"generation {Printable.Escape(id)} has no root subvolume (snapshots/{Printable.Escape(id)}/@ is missing on {session.Device}): nothing to compare",
                        "see 'apkgen status'; 'apkgen gc' deletes what no slot uses", ExitCodes.DataError);
            if (parse.GetValue(files))
            {
                // The other generations may link the two by snapshots (slot 2 to slot 0).
                var others = state.Generations.Where(g => g.HasRoot && g.Id != from && g.Id != to).Select(g => session.Top.RootSubvolumePath(g.Id)).ToList();
                return Files(ctx, from, to, fromRoot, toRoot, others, parse.GetValue(json), parse.GetValue(walk));
            }
            if (parse.GetValue(json) || parse.GetValue(walk))
                throw new ApkgenException("--json and --walk apply to 'apkgen diff --files' only", "add --files, or leave them out for the package diff", ExitCodes.Usage);
            var changes = PackageChanges.Between(SnapshotContents.ReadInstalled(fromRoot), SnapshotContents.ReadInstalled(toRoot));
            var wa = SnapshotContents.ReadWorld(fromRoot);
            var wb = SnapshotContents.ReadWorld(toRoot);
            var o = ctx.Out;
            // Package names and ids come from files root does not control: no raw control bytes to the terminal.
            o.WriteLine($"--- {Printable.Escape(from)}");
            o.WriteLine($"+++ {Printable.Escape(to)}");
            foreach (var p in changes.Added) o.WriteLine($"+ {Printable.Escape(p.ToString())}");
            foreach (var p in changes.Removed) o.WriteLine($"- {Printable.Escape(p.ToString())}");
            foreach (var c in changes.Upgraded) o.WriteLine($"^ {Printable.Escape(c.ToString())}");
            foreach (var c in changes.Downgraded) o.WriteLine($"v {Printable.Escape(c.ToString())}");
            foreach (var w in wb.Except(wa)) o.WriteLine($"world + {Printable.Escape(w)}");
            foreach (var w in wa.Except(wb)) o.WriteLine($"world - {Printable.Escape(w)}");
            if (changes.IsEmpty && wa.SetEquals(wb)) o.WriteLine("no package changes");
            return 0;
        }));
        return cmd;
    }

    static int Files(SystemContext ctx, string from, string to, string fromRoot, string toRoot, IReadOnlyList<string> others, bool json, bool walk)
    {
        FileDiff diff;
        using (var first = new ConfinedTree(fromRoot))
        using (var second = new ConfinedTree(toRoot))
            diff = FileDiffer.Compare(new LinuxBtrfsChanges(), fromRoot, toRoot, first, second, walk, others);
        var o = ctx.Out;
        if (json)
        {
            var w = new Json().StartObject()
                .Value("from", from).Value("to", to).Value("method", diff.MethodName);
            foreach (var (name, kind) in new[] { ("added", FileChangeKind.Added), ("removed", FileChangeKind.Removed), ("changed", FileChangeKind.Changed) })
            {
                w.StartArray(name);
                foreach (var path in diff.Of(kind)) w.Item("/" + path);
                w.EndArray();
            }
            o.WriteLine(w.EndObject().ToString());
            return 0;
        }
        if (diff.Method == FileDiffMethod.Walk && diff.WalkReason != "--walk")
            ctx.Say($"walked both trees: {diff.WalkReason}");
        o.WriteLine($"--- {Printable.Escape(from)}");
        o.WriteLine($"+++ {Printable.Escape(to)}");
        // Names are bytes from trees root does not control: RawNames.Printable escapes controls and non-UTF-8.
        foreach (var c in diff.Changes) o.WriteLine($"{c.Letter} {RawNames.Printable("/" + c.Path)}");
        if (diff.Changes.Count == 0) o.WriteLine("no file changes");
        return 0;
    }
}
