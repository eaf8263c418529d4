using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen init</c>: create the layout on a btrfs filesystem that has none (<see cref="InitUseCase"/>).</summary>
static class InitHandler
{
    public static Command Command(Composition composition)
    {
        var adopt = new Option<string?>("--adopt") { Description = "snapshot this existing root subvolume (path relative to the top level, e.g. @) as the first generation" };
        var swap = new Option<string?>("--swap") { Description = "swap device to put in the fstab template" };
        var apkArgs = new Argument<string[]>("apk-arguments")
        {
            Description = "bootstrap: arguments after 'apk --root ROOT --initdb' (default: add alpine-base)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var cmd = new Command("init", "create the layout (commons, first generation, links, current, fstab template)") { adopt, swap, apkArgs };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            Cli.RequireRoot();
            var args = parse.GetValue(apkArgs) is { Length: > 0 } a ? a : ["add", "alpine-base"];
            var result = InitUseCase.Run(ctx, new InitOptions(parse.GetValue(adopt), args, parse.GetValue(swap),
                "init" + (parse.GetValue(adopt) is { } ad ? " --adopt " + ad : "")), ChangeRunner.MarkSwitch(ctx));
            var state = result.State;
            ctx.Out.WriteLine($"created the layout on {result.Device}: generation {state.Current.Slots[0]} in all {state.Current.Slots.Count} slots");
            ctx.Out.WriteLine("next: install a kernel and boot loader into it (apkgen exec -- apk add linux-lts), then 'apkgen-refind'");
            return 0;
        }));
        return cmd;
    }
}
