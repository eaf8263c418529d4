namespace Apkgen.TestSupport;

/// <summary>Runs the apkgen executables (the build output of src/Hooks etc.) as a user would.</summary>
public static class ApkgenCli
{
    /// <summary>Directory of the built apkgen (framework-dependent build, run with dotnet).</summary>
    public static string BuildOutput(string project, string assembly)
    {
        var config = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Sh.RepoRoot, "src", project, "bin", config, "net10.0", assembly + ".dll");
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is not built; run scripts/test (it builds the solution first)");
        return path;
    }

    /// <summary>Runs <c>apkgen ARGS</c> with optional environment and stdin.</summary>
    public static (int Code, string Output) RunApkgen(IDictionary<string, string>? env, params string[] args) =>
        Sh.TryIn(env, null, "dotnet", [BuildOutput("Hooks", "apkgen"), .. args]);

    /// <summary>Runs <c>apkgen ARGS</c>.</summary>
    public static (int Code, string Output) RunApkgen(params string[] args) => RunApkgen(null, args);

    /// <summary>A symlink named apk to the built apkgen apphost: the wrapper as a user types it.</summary>
    public static string ApkLink()
    {
        var host = Path.ChangeExtension(BuildOutput("Hooks", "apkgen"), null);
        var dir = Path.Combine(Path.GetTempPath(), "apkgen-apk-link-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var link = Path.Combine(dir, "apk");
        if (new FileInfo(link).LinkTarget is null) File.CreateSymbolicLink(link, host);
        return link;
    }
}
