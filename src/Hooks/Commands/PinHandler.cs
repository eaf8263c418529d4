using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary><c>apkgen pin ID</c> / <c>apkgen unpin ID</c>: keep a generation from gc, or let it go (<see cref="PinUseCase"/>).</summary>
static class PinHandler
{
    public static Command Command(Composition composition, bool pin)
    {
        var id = new Argument<string>("generation") { Description = "generation id (a unique prefix is enough) or slot number" };
        var cmd = new Command(pin ? "pin" : "unpin", pin ? "keep a generation from gc" : "let gc delete a generation again when no slot uses it") { id };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            Cli.RequireRoot();
            var gid = PinUseCase.Run(ctx, parse.GetValue(id)!, pin, (session, path) => ListHandler.UserPath(ctx, session, path), Interruption.Token);
            ctx.Say($"{(pin ? "pinned" : "unpinned")} {gid}");
            return 0;
        }));
        return cmd;
    }
}
