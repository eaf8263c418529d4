using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Boot;

namespace Apkgen.BootCheck;

/// <summary>What every verb shares: the common options and the error handler.</summary>
static class Cli
{
    /// <summary>
    /// Runs a verb with the real adapters. An <see cref="ApkgenException"/> becomes
    /// <c>apkgen-bootcheck: error: ...</c> plus the remedy and its exit code; I/O failures are
    /// internal errors (70), with a stack trace only with --verbose. A failure never hangs
    /// the boot: OpenRC shows it and goes on.
    /// </summary>
    public static int Run(ParseResult parse, Func<BootRunner, SystemContext, int> verb) =>
        ErrorHandler.Run("apkgen-bootcheck", parse.GetValue(CommonOptions.Verbose),
            "run with --verbose for details and report it if it persists", () =>
            {
                var config = CommonOptions.LoadConfig(parse);
                CommonOptions.RequireRoot("apkgen-bootcheck");
                var ctx = SystemContext.Real(config);
                // Tests keep their records out of the real /run/apkgen (test builds only: TestHooks).
                var runner = new BootRunner(ctx, TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_TEST_RUNDIR") : null);
                // Each verb but status keeps /run/apkgen/reboot-required true in its own session.
                return verb(runner, ctx);
            });
}
