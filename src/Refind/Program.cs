using System.CommandLine;
using Apkgen.Core;
using Apkgen.Core.Configuration;
using Apkgen.Core.Refind;
using Apkgen.Core.Transactions;

// apkgen-refind(8): writes the rEFInd stanzas for the slots of `current` (and trial.conf).
var topOption = new Option<string?>("--top") { Description = "an already mounted top level (subvolid=5); same as --device DIR" };
var checkOption = new Option<bool>("--check") { Description = "write nothing; exit 1 if a file differs from what would be written" };
var stdoutOption = new Option<bool>("--stdout") { Description = "print the stanza file (and trial.conf) instead of writing" };

var root = new RootCommand("Writes the rEFInd entries for apkgen's generations (apkgen-refind(8)).")
{
    topOption, checkOption, stdoutOption,
};
CommonOptions.AddTo(root);
root.SetAction(parseResult =>
{
    return ErrorHandler.Run("apkgen-refind", parseResult.GetValue(CommonOptions.Verbose), "check the layout and the ESP; --verbose shows details", () =>
    {
        var check = parseResult.GetValue(checkOption);
        var toStdout = parseResult.GetValue(stdoutOption);
        if (check && toStdout)
            throw new ApkgenException("--check and --stdout exclude each other", "use one of them", ExitCodes.Usage);
        var config = CommonOptions.LoadConfig(parseResult);
        if (config.Refind.Output is null)
            throw new ApkgenException("[refind] output is not set, so apkgen does not manage rEFInd",
                "set it in /etc/apkgen.conf, e.g. output = /boot/efi/EFI/refind/apkgen.conf", ExitCodes.Config);
        // Session mounts [layout] device (or --device) privately at /run/apkgen/top and unmounts
        // on dispose; a directory is taken as an already mounted top level.
        var ctx = SystemContext.Real(config);
        using var session = Session.Open(ctx, parseResult.GetValue(topOption));
        var state = session.Store.Read();
        var files = RefindWriter.Plan(config, state, ctx.BlockDevices, ctx.Mounts, session.Device);

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
    });
});
return CommonOptions.Invoke(root, args, "apkgen-refind");
