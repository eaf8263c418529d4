using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Generations.Configuration;
using Apkgen.Generations.Refind;
using Apkgen.Refind;

// apkgen-refind(8): writes the rEFInd stanzas for the slots of `current` (and trial.conf).
var configOption = new Option<string?>("--config") { Description = "configuration file (default /etc/apkgen.conf)" };
var topOption = new Option<string?>("--top") { Description = "the layout's top level (subvolid=5), already mounted" };
var deviceOption = new Option<string?>("--device") { Description = "the btrfs device to read volume and root from (default: [layout] device, else the device of --top)" };
var checkOption = new Option<bool>("--check") { Description = "write nothing; exit 1 if a file differs from what would be written" };
var stdoutOption = new Option<bool>("--stdout") { Description = "print the stanza file (and trial.conf) instead of writing" };
var verboseOption = new Option<bool>("--verbose") { Description = "show details of errors" };

var root = new RootCommand("Writes the rEFInd entries for apkgen's generations (apkgen-refind(8)).")
{
    configOption, topOption, deviceOption, checkOption, stdoutOption, verboseOption,
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
        var top = parseResult.GetValue(topOption)
            ?? throw new ApkgenException("no top level given",
                "mount the layout's btrfs with subvolid=5 and pass it with --top DIR", ExitCodes.Usage);
        var state = TopLevelReader.Read(top);
        var files = RefindWriter.Plan(config, state, new BlkidProbe(), parseResult.GetValue(deviceOption));

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
