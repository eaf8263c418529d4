using CliWrap;
using CliWrap.Buffered;

namespace Apkgen.Package.Tests;

/// One entry of a package tree: a directory, a regular file or a symbolic link.
public sealed record TreeEntry(string Path, char Kind, UnixFileMode Mode, long Size, string? LinkTarget)
{
    public string ModeText => Convert.ToString((int)Mode, 8).PadLeft(4, '0');

    public override string ToString() => Kind switch
    {
        'l' => $"{Path} -> {LinkTarget}",
        'd' => $"{Path}/ {ModeText}",
        _ => $"{Path} {ModeText} {Size}",
    };
}

/// <summary>
/// Builds the APKBUILD once for every test of the "package build" collection: runs
/// tests/package/abuild-standin.sh (prepare, build, check, package, the split functions,
/// postcheck, strip) under busybox ash -e, as abuild would, in a fresh temporary directory.
/// The Native AOT publish of three executables and the unit tests in check() take minutes,
/// which is why it is a fixture. Set APKGEN_KEEP_PACKAGE_BUILD=1 to keep the directory.
/// </summary>
public sealed class PackageBuild : IAsyncLifetime
{
    public string WorkDirPath { get; } = Path.Combine(Path.GetTempPath(), "apkgen-package-" + Guid.NewGuid().ToString("N")[..8]);
    public int ExitCode { get; private set; } = -1;
    public string Log { get; private set; } = "";
    public TimeSpan Elapsed { get; private set; }

    /// Each package by name (the main one and every split), its entries sorted by path.
    public IReadOnlyDictionary<string, IReadOnlyList<TreeEntry>> Packages { get; private set; } =
        new Dictionary<string, IReadOnlyList<TreeEntry>>();

    /// What each split function left in pkgdesc, depends and install_if.
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Meta { get; private set; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    public string PackageDirPath(string name) => Path.Combine(WorkDirPath, "pkg", name);

    /// The build directory ($builddir): the one directory under src/ that is not the stand-in's tmp.
    public string BuildDirPath => Directory.GetDirectories(Path.Combine(WorkDirPath, "src")).Single();

    public async Task InitializeAsync()
    {
        var started = DateTime.UtcNow;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(45));
        var result = await Cli.Wrap(Tool.Require("busybox"))
            .WithArguments(["ash", "-e", Repository.PathOf("tests/package/abuild-standin.sh"), Repository.RootDirPath, WorkDirPath])
            .WithWorkingDirectory(Repository.RootDirPath)
            .WithEnvironmentVariables(Tool.WithoutOuterBuildVariables)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cts.Token);
        Elapsed = DateTime.UtcNow - started;
        ExitCode = result.ExitCode;
        Log = result.StandardOutput + result.StandardError;
        if (ExitCode != 0) return;

        var pkgDir = Path.Combine(WorkDirPath, "pkg");
        Packages = Directory.GetDirectories(pkgDir).ToDictionary(d => Path.GetFileName(d), d => ReadTree(d));
        Meta = Directory.GetFiles(Path.Combine(WorkDirPath, "meta")).ToDictionary(
            f => Path.GetFileName(f),
            f => (IReadOnlyDictionary<string, string>)File.ReadAllLines(f)
                .Select(l => l.Split('=', 2))
                .ToDictionary(kv => kv[0], kv => kv[1]));
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "package-manifest.txt"), Manifest());
    }

    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("APKGEN_KEEP_PACKAGE_BUILD") != "1" && Directory.Exists(WorkDirPath))
            Directory.Delete(WorkDirPath, recursive: true);
        return Task.CompletedTask;
    }

    /// Fails the calling test with the end of the stand-in's log unless the build passed.
    public void AssertBuilt()
    {
        var tail = string.Join('\n', Log.Split('\n').TakeLast(60));
        Assert.True(ExitCode == 0, $"the abuild stand-in failed (exit {ExitCode}); its log ends:\n{tail}");
    }

    /// Every package with its files, links and sizes, as the report shows them.
    public string Manifest()
    {
        var lines = new List<string>();
        foreach (var (name, entries) in Packages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var files = entries.Where(e => e.Kind != 'd').ToList();
            lines.Add($"{name}: {files.Count} entries, {files.Sum(e => e.Kind == 'f' ? e.Size : 0)} bytes");
            lines.AddRange(files.Select(e => "  " + e));
        }
        return string.Join('\n', lines) + "\n";
    }

    static IReadOnlyList<TreeEntry> ReadTree(string rootDirPath)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the package trees are read on Linux");
        var entries = new List<TreeEntry>();
        foreach (var path in Directory.EnumerateFileSystemEntries(rootDirPath, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(rootDirPath, path);
            // A link's own mode means nothing on Linux, and its target may not exist here.
            if (info.LinkTarget is { } target)
                entries.Add(new TreeEntry(relative, 'l', (UnixFileMode)0b111_111_111, 0, target));
            else if (Directory.Exists(path))
                entries.Add(new TreeEntry(relative, 'd', File.GetUnixFileMode(path), 0, null));
            else
                entries.Add(new TreeEntry(relative, 'f', File.GetUnixFileMode(path), info.Length, null));
        }
        return entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class PackageBuildCollection : ICollectionFixture<PackageBuild>
{
    public const string Name = "package build";
}
