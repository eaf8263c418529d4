using System.CommandLine;
using Apkgen.Core;
using Apkgen.Hooks.Commands;

namespace Apkgen.Hooks;

/// <summary>What every apkgen verb shares: the root command, the common options, the error handler, the root check.</summary>
static class Cli
{
    /// <summary>
    /// apkgen's command line, every verb reaching the world through <paramref name="composition"/>
    /// (Program passes <see cref="Composition.Real"/>; the handler tests their substitutes).
    /// </summary>
    public static RootCommand Root(Composition composition)
    {
        var root = new RootCommand("apkgen: atomic, bootable generations of an Alpine root on btrfs");
        CommonOptions.AddTo(root);
        root.Subcommands.Add(InitHandler.Command(composition));
        root.Subcommands.Add(StatusHandler.Command(composition));
        root.Subcommands.Add(ListHandler.Command(composition));
        root.Subcommands.Add(ExecHandler.Command(composition));
        root.Subcommands.Add(ShellHandler.Command(composition));
        root.Subcommands.Add(RollbackHandler.Command(composition));
        root.Subcommands.Add(GcHandler.Command(composition));
        root.Subcommands.Add(PinHandler.Command(composition, pin: true));
        root.Subcommands.Add(PinHandler.Command(composition, pin: false));
        root.Subcommands.Add(DiffHandler.Command(composition));
        root.Subcommands.Add(ApkHandler.Command(composition));
        root.Subcommands.Add(AutoUpgradeHandler.Command(composition));
        return root;
    }

    /// <summary>Parses and runs apkgen's command line (not the wrapper's): Program with the real composition, the handler tests with theirs.</summary>
    public static int Invoke(string[] args, Composition composition) => CommonOptions.Invoke(Root(composition), args, "apkgen");

    /// <summary>Runs a verb with the context <paramref name="composition"/> makes from the loaded configuration, inside the shared error handler.</summary>
    public static int Run(ParseResult parse, Composition composition, Func<SystemContext, int> verb) =>
        ErrorHandler.Run("apkgen", parse.GetValue(CommonOptions.Verbose),
            "nothing was switched; run with --verbose for details and report it if it persists", () =>
            {
                var config = CommonOptions.LoadConfig(parse);
                return verb(composition.System(config));
            });

    /// <summary>Refuses to run without root: mounts and btrfs ioctls need it.</summary>
    public static void RequireRoot() => CommonOptions.RequireRoot("apkgen");
}
