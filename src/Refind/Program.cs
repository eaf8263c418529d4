using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Configuration;
using Apkgen.Generations.Refind;
using Apkgen.Generations.Transactions;

// apkgen-refind(8): writes the rEFInd stanzas for the slots of `current` (and trial.conf).
var configOption = new Option<string?>("--config") { Description = "configuration file (default /etc/apkgen.conf)" };
var deviceOption = new Option<string?>("--device") { Description = "btrfs device or mounted top level to read (overrides [layout] device)" };
var topOption = new Option<string?>("--top") { Description = "an already mounted top level (subvolid=5); same as --device DIR" };
var checkOption = new Option<bool>("--check") { Description = "write nothing; exit 1 if a file differs from what would be written" };
var stdoutOption = new Option<bool>("--stdout") { Description = "print the stanza file (and trial.conf) instead of writing" };
var verboseOption = new Option<bool>("--verbose") { Description = "show details of errors" };

var root = new RootCommand("Writes the rEFInd entries for apkgen's generations (apkgen-refind(8)).")
{
    configOption, deviceOption, topOption, checkOption, stdoutOption, verboseOption,
};
root.SetAction(parseResult =>
{
    var verbose = parseResult.GetValue(verboseOption);
    try
    {
        var check = parseResult.GetValue(checkOption);
        var toStdout = parseResult.GetValue(stdoutOption);
        if (check && toStdout)
            throw new ApkgenException("--check and --stdout exclude each other", "use one of them", ExitCodes.Usage);
        var config = ApkgenConfig.Load(parseResult.GetValue(configOption));
        if (config.Refind.Output is null)
            throw new ApkgenException("[refind] output is not set, so apkgen does not manage rEFInd",
                "set it in /etc/apkgen.conf, e.g. output = /boot/efi/EFI/refind/apkgen.conf", ExitCodes.Config);
        // Session mounts [layout] device (or --device) privately at /run/apkgen/top and unmounts
        // on dispose; a directory is taken as an already mounted top level.
        var ctx = SystemContext.Real(config);
        using var session = Session.Open(ctx, parseResult.GetValue(topOption) ?? parseResult.GetValue(deviceOption));
        var state = session.Store.Read();
        var files = RefindWriter.Plan(config, state, new BlkidProbe(ctx.Processes), session.Device);

        if (toStdout)
        {
            var shown = files.Where(f => f.Kind != RefindFileKind.MainConfig).ToList();
            for (var i = 0; i < shown.Count; i++)
            {
                if (shown.Count > 1) Console.Out.Write($"{(i > 0 ? "\n" : "")}# ==> {shown[i].FilePath} <==\n");
                Console.Out.Write(shown[i].Text);
            }
            return ExitCodes.Ok;
        }
        if (check)
        {
            var stale = files.Where(f => !f.IsCurrent).ToList();
            foreach (var f in stale)
                Console.Error.WriteLine($"apkgen-refind: {f.FilePath} differs from what would be written");
            return stale.Count == 0 ? ExitCodes.Ok : 1;
        }
        var written = RefindWriter.Write(files);
        foreach (var path in written) Console.Out.WriteLine($"apkgen-refind: wrote {path}");
        if (written.Count == 0) Console.Out.WriteLine("apkgen-refind: the rEFInd files are up to date");
        return ExitCodes.Ok;
    }
    catch (ApkgenException e)
    {
        Console.Error.WriteLine($"apkgen-refind: error: {e.Message}");
        Console.Error.WriteLine(e.Remedy);
        if (verbose) Console.Error.WriteLine(e.InnerException?.ToString() ?? e.ToString());
        return e.ExitCode;
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
    {
        Console.Error.WriteLine($"apkgen-refind: error: {e.Message}");
        Console.Error.WriteLine("check the layout and the ESP; --verbose shows details");
        if (verbose) Console.Error.WriteLine(e.ToString());
        return ExitCodes.Failure;
    }
});
return root.Parse(args).Invoke();
