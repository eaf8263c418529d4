using System.CommandLine;

namespace Apkgen.Hooks.Commands;

/// <summary>The apk wrapper (issue 4): <c>apkgen apk -- ARGS</c>, or apkgen invoked as <c>apk</c>.</summary>
static class ApkHandler
{
    public static bool IsInvokedAsApk() => Path.GetFileName(Environment.GetCommandLineArgs()[0]) == "apk";

    public static int RunAsApk(string[] args)
    {
        Console.Error.WriteLine("apkgen: error: the apk wrapper is not built yet");
        return 70;
    }

    public static Command Command()
    {
        var argv = new Argument<string[]>("apk-arguments") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("apk", "run apk; add, del, upgrade and fix become a new generation") { argv };
        cmd.SetAction(parse => RunAsApk(parse.GetValue(argv) ?? []));
        return cmd;
    }
}
