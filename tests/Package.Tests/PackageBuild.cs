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
/// Builds the APKBUILD once for every test of the "package build" collection with the real
/// abuild (tests/package/abuild-build.sh through scripts/abuild-real): sanitycheck, fetch,
/// unpack, prepare, build, check, package, the split functions, postcheck, the scanelf
/// dependency tracing, create_apks signed with the kit's key and the signed index; then the
/// same APKBUILD with pkgrel+1 (rootpkg only) for the self-upgrade. The Native AOT publish of
/// three executables and the unit tests in check() take minutes, which is why it is a fixture.
/// Set APKGEN_KEEP_PACKAGE_BUILD=1 to keep the directory.
/// </summary>
public sealed class PackageBuild : IAsyncLifetime
{
    bool _reused;
    public string WorkDirPath { get; private set; } = Path.Combine(Path.GetTempPath(), "apkgen-package-" + Guid.NewGuid().ToString("N")[..8]);
    public int ExitCode { get; private set; } = -1;
    /// What the build script and abuild printed (abuild-deps.log, abuild-r0.log, abuild-r1.log).
    public string Log { get; private set; } = "";
    public TimeSpan Elapsed { get; private set; }

    /// Each package by name (the main one and every split), its entries sorted by path: abuild's
    /// pkgdir trees, which create_apks packed.
    public IReadOnlyDictionary<string, IReadOnlyList<TreeEntry>> Packages { get; private set; } =
        new Dictionary<string, IReadOnlyList<TreeEntry>>();

    /// The .PKGINFO of each package of the first pkgrel: every key with all its values in order.
    public IReadOnlyDictionary<string, ILookup<string, string>> Meta { get; private set; } =
        new Dictionary<string, ILookup<string, string>>();

    public string PackageDirPath(string name) => Path.Combine(WorkDirPath, "aports/apkgen/pkg", name);

    /// The build directory ($builddir), kept by abuild -K.
    public string BuildDirPath => Directory.GetDirectories(Path.Combine(WorkDirPath, "aports/apkgen/src")).Single();

    /// The repository abuild made for pkgrel <paramref name="pkgrel"/> (a line of /etc/apk/repositories).
    public string RepositoryDirPath(int pkgrel) => Path.Combine(WorkDirPath, $"repo-r{pkgrel}", "aports");

    /// The .apk files abuild made, in the repository's x86_64/.
    public IReadOnlyList<string> ApkFiles(int pkgrel) =>
        Directory.GetFiles(Path.Combine(RepositoryDirPath(pkgrel), "x86_64"), "*.apk").Order(StringComparer.Ordinal).ToArray();

    public async Task InitializeAsync()
    {
        var started = DateTime.UtcNow;
        // Iterating on the tests: APKGEN_REUSE_PACKAGE_BUILD=DIR takes a WORK directory of an
        // earlier tests/package/abuild-build.sh run instead of building again.
        if (Environment.GetEnvironmentVariable("APKGEN_REUSE_PACKAGE_BUILD") is { Length: > 0 } reuse)
        {
            WorkDirPath = reuse;
            _reused = true;
            ExitCode = Directory.Exists(RepositoryDirPath(1)) ? 0 : 1;
        }
        else
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(45));
            var result = await Cli.Wrap(Tool.Require("sh"))
                .WithArguments([Repository.PathOf("tests/package/abuild-build.sh"), Repository.RootDirPath, WorkDirPath])
                .WithWorkingDirectory(Repository.RootDirPath)
                .WithEnvironmentVariables(Tool.WithoutOuterBuildVariables)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cts.Token);
            ExitCode = result.ExitCode;
            Log = result.StandardOutput + result.StandardError;
        }
        Elapsed = DateTime.UtcNow - started;
        Log += string.Concat(
            new[] { "abuild-deps.log", "abuild-r0.log", "abuild-r1.log" }
                .Select(f => Path.Combine(WorkDirPath, f))
                .Where(File.Exists)
                .Select(f => $"\n==> {Path.GetFileName(f)}\n" + File.ReadAllText(f)));
        if (ExitCode != 0) return;

        var pkgDir = Path.Combine(WorkDirPath, "aports/apkgen/pkg");
        // .control.NAME: abuild's metadata directories beside the trees.
        Packages = Directory.GetDirectories(pkgDir).Where(d => !Path.GetFileName(d).StartsWith('.'))
            .ToDictionary(d => Path.GetFileName(d), d => ReadTree(d));
        var meta = new Dictionary<string, ILookup<string, string>>();
        foreach (var apk in ApkFiles(0))
        {
            var info = await PkgInfo(apk);
            meta[info["pkgname"].Single()] = info;
        }
        Meta = meta;
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "package-manifest.txt"), Manifest());
    }

    /// The .PKGINFO of an .apk (three gzip streams: signature, control, data; tar reads on).
    public static async Task<ILookup<string, string>> PkgInfo(string apkFilePath)
    {
        var result = await Tool.RunAsync("tar", ["-xzOf", apkFilePath, "--ignore-zeros", ".PKGINFO"]);
        Assert.True(result.ExitCode == 0, $"tar .PKGINFO of {apkFilePath}: {result.Describe()}");
        return result.StandardOutput.Split('\n')
            .Where(l => l.Contains(" = ", StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split(" = ", 2))
            .ToLookup(kv => kv[0], kv => kv[1]);
    }

    public Task DisposeAsync()
    {
        if (!_reused && Environment.GetEnvironmentVariable("APKGEN_KEEP_PACKAGE_BUILD") != "1" && Directory.Exists(WorkDirPath))
            Directory.Delete(WorkDirPath, recursive: true);
        return Task.CompletedTask;
    }

    /// Fails the calling test with the end of abuild's log unless the build passed.
    public void AssertBuilt()
    {
        var tail = string.Join('\n', Log.Split('\n').TakeLast(60));
        Assert.True(ExitCode == 0, $"the abuild build failed (exit {ExitCode}); its log ends:\n{tail}");
    }

    /// Every package with its files, links and sizes, and the .apk files with theirs.
    public string Manifest()
    {
        var lines = new List<string>();
        foreach (var (name, entries) in Packages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var files = entries.Where(e => e.Kind != 'd').ToList();
            lines.Add($"{name}: {files.Count} entries, {files.Sum(e => e.Kind == 'f' ? e.Size : 0)} bytes");
            lines.AddRange(files.Select(e => "  " + e));
        }
        foreach (var rel in new[] { 0, 1 })
            lines.AddRange(ApkFiles(rel).Select(f => $"repo-r{rel}: {Path.GetFileName(f)} {new FileInfo(f).Length} bytes"));
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
