using System.CommandLine;
using Apkgen.Core;
using Apkgen.BootCheck;
using Apkgen.BootCheck.Commands;

var root = new RootCommand("apkgen-bootcheck: boot assessment of apkgen generations (counts attempts, runs health checks, demotes failed generations)");
CommonOptions.AddTo(root);
root.Subcommands.Add(BootHandler.Command());
root.Subcommands.Add(ConfirmHandler.Command());
root.Subcommands.Add(StatusHandler.Command());
root.Subcommands.Add(MarkHandler.Command(good: true));
root.Subcommands.Add(MarkHandler.Command(good: false));
return CommonOptions.Invoke(root, args, "apkgen-bootcheck");
