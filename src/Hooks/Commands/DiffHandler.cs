using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Linux;
using Apkgen.Generations.Model;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen diff [A] [B]</c>: package and world changes from A to B (default: slot 1 to slot 0).</summary>
static class DiffHandler
{
    public static Command Command()
    {
        var a = new Argument<string>("from") { Description = "generation id or slot (default 1)", DefaultValueFactory = _ => "1" };
        var b = new Argument<string>("to") { Description = "generation id or slot (default 0)", DefaultValueFactory = _ => "0" };
        var cmd = new Command("diff", "show package changes between two generations, from their apk databases") { a, b };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
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
}
