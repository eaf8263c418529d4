using System.CommandLine;
using Apkgen.Generations;

namespace Apkgen.Hooks;

/// <summary>What every apkgen verb shares: the common options, the error handler, the root check.</summary>
static class Cli
{
    /// <summary>Runs a verb with the real adapters, inside the shared error handler.</summary>
    public static int Run(ParseResult parse, Func<SystemContext, int> verb) =>
        ErrorHandler.Run("apkgen", parse.GetValue(CommonOptions.Verbose),
            "nothing was switched; run with --verbose for details and report it if it persists", () =>
            {
                var config = CommonOptions.LoadConfig(parse);
                return verb(SystemContext.Real(config));
            });

    /// <summary>Refuses to run without root: mounts and btrfs ioctls need it.</summary>
    public static void RequireRoot() => CommonOptions.RequireRoot("apkgen");
}
