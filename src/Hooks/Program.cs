using System.CommandLine;
using Apkgen.Generations;
using Apkgen.Hooks;
using Apkgen.Hooks.Commands;

// Invoked as `apk` (a symlink to apkgen), apkgen is the apk wrapper; read-only applets go
// straight to the real apk before any of the command-line machinery starts.
if (ApkHandler.IsInvokedAsApk())
    return ApkHandler.RunAsApk(args);

var root = new RootCommand("apkgen: atomic, bootable generations of an Alpine root on btrfs");
CommonOptions.AddTo(root);
root.Subcommands.Add(InitHandler.Command());
root.Subcommands.Add(StatusHandler.Command());
root.Subcommands.Add(ListHandler.Command());
root.Subcommands.Add(ExecHandler.Command());
root.Subcommands.Add(ShellHandler.Command());
root.Subcommands.Add(RollbackHandler.Command());
root.Subcommands.Add(GcHandler.Command());
root.Subcommands.Add(PinHandler.Command(pin: true));
root.Subcommands.Add(PinHandler.Command(pin: false));
root.Subcommands.Add(DiffHandler.Command());
root.Subcommands.Add(ApkHandler.Command());
root.Subcommands.Add(AutoUpgradeHandler.Command());
return CommonOptions.Invoke(root, args, "apkgen");
