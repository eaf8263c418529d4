using System.CommandLine;
using Apkgen.Generations;
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
            var changes = PackageChanges.Between(PackageDb.ReadInstalled(fromRoot), PackageDb.ReadInstalled(toRoot));
            var wa = PackageDb.ReadWorld(fromRoot);
            var wb = PackageDb.ReadWorld(toRoot);
            var o = ctx.Out;
            o.WriteLine($"--- {from}");
            o.WriteLine($"+++ {to}");
            foreach (var p in changes.Added) o.WriteLine($"+ {p}");
            foreach (var p in changes.Removed) o.WriteLine($"- {p}");
            foreach (var c in changes.Upgraded) o.WriteLine($"^ {c}");
            foreach (var c in changes.Downgraded) o.WriteLine($"v {c}");
            foreach (var w in wb.Except(wa)) o.WriteLine($"world + {w}");
            foreach (var w in wa.Except(wb)) o.WriteLine($"world - {w}");
            if (changes.IsEmpty && wa.SetEquals(wb)) o.WriteLine("no package changes");
            return 0;
        }));
        return cmd;
    }
}
