using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.UseCases;

/// <summary><c>apkgen init</c>: create the layout on a btrfs filesystem that has none (<see cref="Initializer"/>).</summary>
public static class InitUseCase
{
    /// <summary>Creates the layout; an adopted root is the running one, so it gets the apk wrapper too.</summary>
    /// <param name="ctx">The system.</param>
    /// <param name="options">What to start from.</param>
    /// <param name="switched">Told after <c>current</c> first exists, with the new layout.</param>
    public static InitResult Run(SystemContext ctx, InitOptions options, Action<LayoutState>? switched)
    {
        using var session = Session.Open(ctx);
        var state = Initializer.Run(ctx, session, options);
        // An adopted root is the running one: 'apk' there is the wrapper from now on, too.
        if (options.AdoptSubvolume is not null) ApkEntryPoint.Install(ctx, "/");
        // The running root is not the new generation: apk's read-only applets must say which they read.
        switched?.Invoke(state);
        RebootRequired.Refresh(ctx, session, state, ctx.Say);
        return new InitResult(state, session.Device);
    }
}
