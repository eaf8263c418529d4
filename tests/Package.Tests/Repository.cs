namespace Apkgen.Package.Tests;

/// The checkout the tests run from: the directory that holds the APKBUILD and apkgen.sln.
static class Repository
{
    public static readonly string RootDirPath = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "APKBUILD")) && File.Exists(Path.Combine(dir.FullName, "apkgen.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no APKBUILD and apkgen.sln above {AppContext.BaseDirectory}");
    }

    public static string PathOf(string relativePath) => Path.Combine(RootDirPath, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// Files of the checkout matching a pattern in one directory, as paths relative to the root, sorted.
    public static IReadOnlyList<string> Files(string relativeDirPath, string pattern)
    {
        var dir = PathOf(relativeDirPath);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, pattern)
            .Select(f => Path.GetRelativePath(RootDirPath, f))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// The three executables the package ships.
    public static readonly IReadOnlyList<string> Executables = ["apkgen", "apkgen-refind", "apkgen-bootcheck"];
}
