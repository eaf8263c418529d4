using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Linux;
using Apkgen.Core.Transactions;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// A read-only apk applet after a change and before the reboot. The change is in slot 0 of
/// current, and the next boot and the next change start from it; a tool that checks its work
/// with <c>apk info</c> (configuration management, <c>apk add x; apk info -e x</c>) must see
/// it, not the running root. So the real apk reads slot 0's root (a read-only snapshot, so
/// nothing can write there), and stderr says so. When slot 0 is the running root (a rollback
/// to it) apk reads the running root as always. A user who is not root cannot mount the top
/// level: apk shows the running root, and stderr says that it is not the next boot's
/// (only while /run/apkgen/reboot-required says a reboot is needed).
/// </summary>
static class NextBootView
{
    public static int Run(string? configPath, string apkPath, IReadOnlyList<string> args, Composition composition)
    {
        if (Privileges.EffectiveUserId != 0)
        {
            // A switch since boot that was undone (a rollback to the running generation) left
            // the marker but no reboot to wait for: root's reboot-required says which.
            if (RebootRequired.ReadLine(ApkHandler.RealDeviceFast(configPath)) is null)
                return ApkHandler.PassThrough(apkPath, args);
            Console.Error.WriteLine("apkgen: note: a change since boot is in slot 0 of current; this shows the running root, not it (run as root to see slot 0)");
            return ApkHandler.PassThrough(apkPath, args);
        }
        return ErrorHandler.Run("apkgen", verbose: false, "nothing was changed; 'apkgen status' shows the state", () =>
        {
            var ctx = composition.System(ApkgenConfig.Load(configPath));
            Session session;
            Core.Layout.LayoutState state;
            try
            {
                // Not disposed: the exec below keeps this process's private mount namespace,
                // with the top level mounted, for apk; it goes when apk exits.
                session = Session.Open(ctx);
                state = session.Store.Read();
            }
            catch (Exception e) when (e is ApkgenException or IOException or UnauthorizedAccessException)
            {
                // Reading must keep working: show the running root, and say why not slot 0.
                Console.Error.WriteLine($"apkgen: note: a switch since boot is marked ({SwitchMarker.PathFor(ctx.Config.Layout.Device ?? "")}) but its layout cannot be read ({e.Message}); this shows the running root");
                return ApkHandler.PassThrough(apkPath, args);
            }
            var slot0 = state.Current.Slots[0];
            if (slot0 is null || session.ReadBooted(state).GenerationId == slot0)
                return ApkHandler.PassThrough(apkPath, args);
            Console.Error.WriteLine($"apkgen: showing generation {slot0} (slot 0 of current: what the next boot and the next change start from), not the running root");
            return ApkHandler.PassThrough(apkPath, ["--root", session.Top.RootSubvolumePath(slot0), .. args]);
        });
    }
}
