using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen init</c>: create the layout on a btrfs filesystem that has none.</summary>
static class InitHandler
{
    public static Command Command()
    {
        var adopt = new Option<string?>("--adopt") { Description = "snapshot this existing root subvolume (path relative to the top level, e.g. @) as the first generation" };
        var swap = new Option<string?>("--swap") { Description = "swap device to put in the fstab template" };
        var apkArgs = new Argument<string[]>("apk-arguments")
        {
            Description = "bootstrap: arguments after 'apk --root ROOT --initdb' (default: add alpine-base)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var cmd = new Command("init", "create the layout (commons, first generation, links, current, fstab template)") { adopt, swap, apkArgs };
        cmd.SetAction(parse => Cli.Run(parse, ctx =>
        {
            Cli.RequireRoot();
            var args = parse.GetValue(apkArgs) is { Length: > 0 } a ? a : ["add", "alpine-base"];
            using var session = Session.Open(ctx);
            var state = Initializer.Run(ctx, session, new InitOptions(parse.GetValue(adopt), args, parse.GetValue(swap),
                "init" + (parse.GetValue(adopt) is { } ad ? " --adopt " + ad : "")));
            // An adopted root is the running one: 'apk' there is the wrapper from now on, too.
            if (parse.GetValue(adopt) is not null) ApkEntryPoint.Install(ctx, "/");
            var id = state.Current.Slots[0];
            // The running root is not the new generation: apk's read-only applets must say which they read.
            SwitchMarker.Write(ctx.Config.Layout.Device ?? "", id ?? "", ctx.Say);
            Generations.Boot.RebootRequired.Refresh(ctx, session, state, ctx.Say);
            ctx.Out.WriteLine($"created the layout on {session.Device}: generation {id} in all {state.Current.Slots.Count} slots");
            ctx.Out.WriteLine("next: install a kernel and boot loader into it (apkgen exec -- apk add linux-lts), then 'apkgen-refind'");
            return 0;
        }));
        return cmd;
    }
}
