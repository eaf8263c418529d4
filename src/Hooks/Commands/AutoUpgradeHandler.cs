using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Apk;
using Apkgen.Core.Auto;
using Apkgen.Core.Linux;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// <c>apkgen auto-upgrade [--now] [--dry-run]</c>: unattended upgrades by [auto] policy, run
/// hourly by busybox crond from /etc/periodic/hourly/apkgen-auto-upgrade (apkgen(8), AUTO-UPGRADE).
/// </summary>
static class AutoUpgradeHandler
{
    public static Command Command(Composition composition)
    {
        var now = new Option<bool>("--now") { Description = "do the policy's work now: ignore [auto] interval and window" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the decision and do nothing" };
        var cmd = new Command("auto-upgrade", "unattended upgrades by [auto] policy (none, check, stage, reboot); run hourly by crond") { now, dryRun };
        cmd.SetAction(parse => Cli.Run(parse, composition, ctx =>
        {
            Cli.RequireRoot();
            string[] args = [.. AutoUpgradeRunner.StageArguments];
            // The stage is the wrapper's own path for 'apk -U upgrade', in this process and in
            // the session auto-upgrade already holds locked, so nothing can slip in between the
            // decision (no unbooted generation waits) and the change.
            return new AutoUpgradeRunner(ctx, composition.SystemLog())
                .Run(parse.GetValue(now), parse.GetValue(dryRun), session => ApkHandler.Change(ctx, ApkCommandLine.Parse(args), args, session));
        }));
        return cmd;
    }
}
