using System.CommandLine;
using Apkgen.Core.Configuration;

namespace Apkgen.Core;

/// <summary>
/// The options all three executables take, with one meaning: <c>--config</c>, <c>--device</c>
/// and <c>--verbose</c>; the configuration they select; the root check.
/// </summary>
public static class CommonOptions
{
    /// <summary><c>--config FILE</c>: the configuration file.</summary>
    public static readonly Option<string?> Config = new("--config") { Description = "configuration file (default /etc/apkgen.conf)", Recursive = true };

    /// <summary><c>--verbose</c>: stack traces for internal errors.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "show stack traces of internal errors", Recursive = true };

    /// <summary><c>--device DEV|DIR</c>: overrides <c>[layout] device</c>.</summary>
    public static readonly Option<string?> Device = new("--device") { Description = "btrfs device or mounted top level to manage (overrides [layout] device)", Recursive = true };

    /// <summary>Adds the three options to a root command.</summary>
    public static void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(Verbose);
        root.Options.Add(Device);
    }

    /// <summary>
    /// Parses and runs a command line. No response files: "@" is the guide's name for the
    /// root subvolume (apkgen init --adopt @), and no apkgen argument is a file of arguments.
    /// </summary>
    /// <param name="root">The executable's commands.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="program">Its name, for the messages.</param>
    /// <remarks>
    /// A command line that does not parse (an unknown verb or option, a value of the wrong
    /// type, a missing argument) exits <see cref="ExitCodes.Usage"/> (64) as apkgen(8)
    /// documents, with System.CommandLine's reason and where the usage is; its own handling
    /// would print the whole help to standard output and exit 1.
    /// </remarks>
    public static int Invoke(RootCommand root, string[] args, string program)
    {
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count == 0) return parse.Invoke();
        foreach (var error in parse.Errors)
            Console.Error.WriteLine($"{program}: error: {error.Message}");
        var path = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command != root; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            path.Insert(0, r.Command.Name);
        Console.Error.WriteLine($"{program}: see '{string.Join(' ', [program, .. path, "--help"])}' for the usage");
        return ExitCodes.Usage;
    }

    /// <summary>The configuration <c>--config</c> names, with <c>--device</c> applied.</summary>
    public static ApkgenConfig LoadConfig(ParseResult parse)
    {
        var config = ApkgenConfig.Load(parse.GetValue(Config));
        return parse.GetValue(Device) is { } device
            ? config with { Layout = config.Layout with { Device = device } }
            : config;
    }

    /// <summary>Refuses to go on without root: mounts and btrfs ioctls need it.</summary>
    public static void RequireRoot(string program)
    {
        // geteuid only: Environment.UserName asks NSS (a socket to nscd), at every boot.
        if (Linux.Privileges.EffectiveUserId != 0)
            throw new ApkgenException($"{program} must run as root", "run it with doas or sudo", ExitCodes.NoPermission);
    }
}
