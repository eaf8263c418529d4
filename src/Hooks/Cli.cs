using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Configuration;

namespace Apkgen.Hooks;

/// <summary>What every apkgen verb shares: --config, --verbose, the error handler.</summary>
static class Cli
{
    public static readonly Option<string?> Config = new("--config") { Description = "configuration file (default /etc/apkgen.conf)", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "show stack traces of internal errors", Recursive = true };
    public static readonly Option<string?> Device = new("--device") { Description = "btrfs device or mounted top level to manage (overrides [layout] device)", Recursive = true };

    /// <summary>Runs a verb with the real adapters, inside the shared error handler.</summary>
    public static int Run(ParseResult parse, Func<SystemContext, int> verb) =>
        ErrorHandler.Run("apkgen", parse.GetValue(Verbose),
            "nothing was switched; run with --verbose for details and report it if it persists", () =>
            {
                var config = ApkgenConfig.Load(parse.GetValue(Config));
                if (parse.GetValue(Device) is { } device)
                    config = config with { Layout = config.Layout with { Device = device } };
                Interruption.Install();
                return verb(SystemContext.Real(config));
            });

    /// <summary>Refuses to run without root: mounts and btrfs ioctls need it.</summary>
    public static void RequireRoot()
    {
        // geteuid only: Environment.UserName asks NSS (a socket to nscd).
        if (Apkgen.Generations.Linux.Privileges.EffectiveUserId != 0)
            throw new ApkgenException("apkgen must run as root", "run it with doas or sudo", ExitCodes.NoPermission);
    }
}
