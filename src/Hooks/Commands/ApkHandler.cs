using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Apk;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;

namespace Apkgen.Hooks.Commands;

/// <summary>
/// The apk wrapper: apkgen invoked as <c>apk</c> (the package links <c>/usr/local/sbin/apk</c>
/// and <c>/bin/apk</c> to it, see apkgen(8) "THE APK WRAPPER"), or <c>apkgen apk -- ARGS</c>.
/// Read-only applets and --simulate exec the real apk at once; add, del, upgrade and fix run
/// in a new snapshot and become a generation; update and cache run in a throwaway one.
/// Inside a transaction every command line goes to the real apk.
/// </summary>
static class ApkHandler
{
    /// <summary>The wrapper cannot take --config (apk's own options pass through); this variable names the file instead.</summary>
    const string ConfigVariable = "APKGEN_CONFIG";

    /// <summary>
    /// How many times the wrapper was reached from an apk it ran, counted in the environment
    /// of every apk it runs (exec or child). A script at [apk] path that runs <c>apk</c>
    /// through PATH comes back with a new pid each round, which the pid guard cannot see;
    /// the count stops it. apk-front.c counts the same way.
    /// </summary>
    const string DepthVariable = "APKGEN_APK_DEPTH";

    /// <summary>Rounds allowed: a real nesting (a package script running apk inside a transaction) is one or two.</summary>
    const int DepthLimit = 8;

    static int Depth() =>
        int.TryParse(Environment.GetEnvironmentVariable(DepthVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0;

    static string NextDepth() => (Depth() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// True inside an apkgen transaction (exec, shell, or apk's own run in a snapshot): apk is
    /// then already where a change belongs, and the wrapper only hands over to it.
    /// </summary>
    static bool InTransaction() => File.Exists("/" + Transaction.MarkerRelativePath);

    /// <summary>True when argv[0] is <c>apk</c> (<see cref="SelfProcess.ArgvZero"/>).</summary>
    public static bool IsInvokedAsApk() => Path.GetFileName(SelfProcess.ArgvZero()) == "apk";

    /// <summary>apkgen invoked as apk (or <c>apkgen apk -- ARGS</c>).</summary>
    /// <param name="args">apk's arguments.</param>
    /// <param name="configOverride">--config of <c>apkgen apk</c>; null: APKGEN_CONFIG or the default.</param>
    /// <param name="composition">The adapters of a change and of the next-boot view; null (the fast path): the real ones.</param>
    public static int RunAsApk(string[] args, string? configOverride = null, Composition? composition = null)
    {
        var configPath = configOverride ?? Environment.GetEnvironmentVariable(ConfigVariable);
        if (Depth() >= DepthLimit || Depth() < 0)
        {
            Console.Error.WriteLine($"apkgen: error: the apk that apkgen ran ([apk] path {RealApkPathFast(configPath)}) ran the wrapper again, {Depth()} times over");
            Console.Error.WriteLine("apkgen: set [apk] path in /etc/apkgen.conf to apk-tools' apk itself (default /sbin/apk), not a script that runs 'apk' through PATH");
            return ExitCodes.Config;
        }
        // Its [apk] path runs as root: a file others may write is refused before anything runs it.
        if (ApkgenConfig.Refusal(configPath ?? ApkgenConfig.DefaultFilePath) is { } refused)
            return ErrorHandler.Run("apkgen", verbose: false, "", () => throw refused);
        if (InTransaction())
            return PassThrough(RealApkPathFast(configPath), args);
        var line = ApkCommandLine.Parse(args);
        if (line.Action == ApkAction.PassThrough)
            return line.ReadsLiveRoot && SwitchMarker.NamesConfig(RealDeviceFast(configPath))
                ? NextBootView.Run(configPath, RealApkPathFast(configPath), args, composition ?? Composition.Real)
                : PassThrough(RealApkPathFast(configPath), args);
        return ErrorHandler.Run("apkgen", verbose: false, "nothing was switched; 'apkgen status' shows the state", () =>
        {
            var config = ApkgenConfig.Load(configPath);
            Interruption.Install();
            return Change((composition ?? Composition.Real).System(config), line, args);
        });
    }

    /// <summary>
    /// Read-only applets must cost nothing over apk itself (bench/: under 1 ms), so the path
    /// of the real apk is read with the tolerant apkgen.conf reader (ConfText) rather than the full
    /// configuration stack; the full, validating load happens for changes.
    /// </summary>
    internal static string RealApkPathFast(string? configPath) => ReadFast(configPath, "apk", "path") ?? new ApkSection().Path;

    /// <summary>[layout] device as written, "" when unset (what the switch marker records).</summary>
    internal static string RealDeviceFast(string? configPath) => ReadFast(configPath, "layout", "device") ?? "";

    static string? ReadFast(string? configPath, string section, string key)
    {
        var path = configPath ?? ApkgenConfig.DefaultFilePath;
        try
        {
            if (File.Exists(path) && ConfText.Parse(File.ReadAllText(path)) is { HasMalformedLines: false } doc && doc.Get(section, key, raw: true) is { Length: > 0 } p)
                return p;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            // A malformed file is reported by the full load on the next change; reading must work.
        }
        return null;
    }

    internal static int PassThrough(string apkPath, IReadOnlyList<string> args)
    {
        if (IsApkgenItself(apkPath) || Exec.ReplacedItself())
        {
            Console.Error.WriteLine($"apkgen: error: [apk] path ({apkPath}) is apkgen itself, which would run itself for ever");
            Console.Error.WriteLine("apkgen: set [apk] path in /etc/apkgen.conf to apk-tools' apk (default /sbin/apk)");
            return ExitCodes.Config;
        }
        Exec.SetNativeVariable(DepthVariable, NextDepth());
        var error = Exec.Replace(apkPath, ["apk", .. args]);
        Console.Error.WriteLine($"apkgen: error: cannot run the real apk: {error.Message}");
        Console.Error.WriteLine("apkgen: set [apk] path in /etc/apkgen.conf to apk-tools' apk (default /sbin/apk)");
        return 127;
    }

    /// <summary>
    /// True if the path leads to this executable (e.g. [apk] path = /usr/local/sbin/apk).
    /// When <see cref="SelfProcess.ExecutablePath"/> cannot tell (no proc filesystem), <see cref="Exec.ReplacedItself"/> catches the loop.
    /// </summary>
    static bool IsApkgenItself(string apkPath) =>
        RealPaths.Resolve(apkPath) is { } target && target == SelfProcess.ExecutablePath();

    /// <summary>The wrapper's change path (add, del, upgrade, fix; update and cache in a throwaway); <paramref name="openSession"/>: a session already locked (auto-upgrade).</summary>
    internal static int Change(SystemContext ctx, ApkCommandLine line, string[] args, Session? openSession = null)
    {
        var apk = ctx.Config.Apk.Path;
        if (!File.Exists(apk))
            throw new ApkgenException($"the real apk is not at {apk}", "set [apk] path in /etc/apkgen.conf", ExitCodes.DataError);
        if (IsApkgenItself(apk))
            throw new ApkgenException($"[apk] path ({apk}) is apkgen itself, which would run itself for ever",
                "set [apk] path in /etc/apkgen.conf to apk-tools' apk (default /sbin/apk)", ExitCodes.Config);
        var command = "apk " + string.Join(' ', args);
        if (line.Action == ApkAction.Ephemeral)
            return Ephemeral(ctx, apk, args);
        // Only fix is judged by the files it wrote; add, del and upgrade by apk's database.
        return ChangeRunner.Run(ctx, new ChangeRequest(null, null, command, TrackTreeChanges: line.Applet == "fix"),
            tx => tx.Run(new ProcessSpec(apk, ["--root", tx.RootPath, .. args], ApkEnvironment())),
            tx => !tx.Packages().IsEmpty || (line.Applet == "fix" && tx.TreeChanged()), openSession);
    }

    static Dictionary<string, string?> ApkEnvironment() => new() { [DepthVariable] = NextDepth() };

    /// <summary>
    /// apk update and apk cache take apk's database lock (a write open), which fails on the
    /// read-only root. They run against a throwaway snapshot of the base a real change
    /// would use; the commons are mounted in it, so what update fetches into /var/cache/apk
    /// stays. No generation is made. (--simulate takes no lock in apk 2.14 or 3: it only reads.)
    /// </summary>
    static int Ephemeral(SystemContext ctx, string apk, string[] args) =>
        ChangeRunner.RunThrowaway(ctx, tx => tx.Run(new ProcessSpec(apk, ["--root", tx.RootPath, .. args], ApkEnvironment())));

    public static Command Command(Composition composition)
    {
        var argv = new Argument<string[]>("apk-arguments") { Arity = ArgumentArity.ZeroOrMore, Description = "apk's own arguments" };
        var cmd = new Command("apk", "run apk: add, del, upgrade and fix become a new generation; other applets run as they are") { argv };
        cmd.SetAction(parse => RunAsApk(parse.GetValue(argv) ?? [], parse.GetValue(CommonOptions.Config), composition));
        return cmd;
    }
}
