using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Boot;
using Apkgen.Generations.Configuration;

namespace Apkgen.BootCheck;

/// <summary>What every verb shares: --config, --verbose, --device, the error handler.</summary>
static class Cli
{
    public static readonly Option<string?> Config = new("--config") { Description = "configuration file (default /etc/apkgen.conf)", Recursive = true };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "show stack traces of internal errors", Recursive = true };
    public static readonly Option<string?> Device = new("--device") { Description = "btrfs device or mounted top level to manage (overrides [layout] device)", Recursive = true };

    /// <summary>
    /// Runs a verb with the real adapters. An <see cref="ApkgenException"/> becomes
    /// <c>apkgen-bootcheck: error: ...</c> plus the remedy and its exit code; I/O failures are
    /// internal errors (70), with a stack trace only with --verbose. A failure never hangs
    /// the boot: OpenRC shows it and goes on.
    /// </summary>
    public static int Run(ParseResult parse, Func<BootRunner, SystemContext, int> verb)
    {
        var verbose = parse.GetValue(Verbose);
        try
        {
            var config = ApkgenConfig.Load(parse.GetValue(Config));
            if (parse.GetValue(Device) is { } device)
                config = config with { Layout = config.Layout with { Device = device } };
            // geteuid only: Environment.UserName asks NSS (a socket to nscd), at every boot.
            if (Apkgen.Generations.Linux.Privileges.EffectiveUserId != 0)
                throw new ApkgenException("apkgen-bootcheck must run as root", "run it with doas or sudo", ExitCodes.NoPermission);
            var ctx = SystemContext.Real(config);
            // Tests and benchmarks keep their records out of the real /run/apkgen.
            var runner = new BootRunner(ctx, Environment.GetEnvironmentVariable("APKGEN_TEST_RUNDIR"));
            return verb(runner, ctx);
        }
        catch (ApkgenException e)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"apkgen-bootcheck: error: {e.Message}");
            Console.Error.WriteLine($"apkgen-bootcheck: {e.Remedy}");
            if (verbose && e.InnerException is not null) Console.Error.WriteLine(e.InnerException);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"apkgen-bootcheck: error: {e.Message}");
            Console.Error.WriteLine("apkgen-bootcheck: run with --verbose for details and report it if it persists");
            if (verbose) Console.Error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }
}
