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

    /// <summary>
    /// Runs a verb with the real adapters: loads the configuration, turns an
    /// <see cref="ApkgenException"/> into <c>apkgen: error: ...</c> plus the remedy and its exit
    /// code; anything else is an internal error (70), with a stack trace only with --verbose.
    /// </summary>
    public static int Run(ParseResult parse, Func<SystemContext, int> verb)
    {
        var verbose = parse.GetValue(Verbose);
        try
        {
            var config = ApkgenConfig.Load(parse.GetValue(Config));
            if (parse.GetValue(Device) is { } device)
                config = config with { Layout = config.Layout with { Device = device } };
            Interruption.Install();
            return verb(SystemContext.Real(config));
        }
        catch (ApkgenException e)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"apkgen: error: {e.Message}");
            Console.Error.WriteLine($"apkgen: {e.Remedy}");
            if (verbose && e.InnerException is not null) Console.Error.WriteLine(e.InnerException);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Out.Flush();
            var noSpace = e is Apkgen.Generations.Linux.NativeIOException { Errno: 28 } || e.HResult == 28 || e.Message.Contains("No space left", StringComparison.Ordinal);
            Console.Error.WriteLine($"apkgen: error: {e.Message}");
            Console.Error.WriteLine(noSpace
                ? "apkgen: the filesystem is full; nothing was switched. Free space with 'apkgen gc', then try again"
                : "apkgen: nothing was switched; run with --verbose for details and report it if it persists");
            if (verbose) Console.Error.WriteLine(e);
            return noSpace ? ExitCodes.NoSpace : ExitCodes.Failure;
        }
    }

    /// <summary>Refuses to run without root: mounts and btrfs ioctls need it.</summary>
    public static void RequireRoot()
    {
        if (Environment.UserName != "root" && Apkgen.Generations.Linux.Privileges.EffectiveUserId != 0)
            throw new ApkgenException("apkgen must run as root", "run it with doas or sudo", ExitCodes.NoPermission);
    }
}
