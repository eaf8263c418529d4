using Apkgen.Hooks;
using Apkgen.Hooks.Commands;

// Invoked as `apk` (a symlink to apkgen), apkgen is the apk wrapper; read-only applets go
// straight to the real apk before any of the command-line machinery starts.
if (ApkHandler.IsInvokedAsApk())
    return ApkHandler.RunAsApk(args);

return Cli.Invoke(args, Composition.Real);
