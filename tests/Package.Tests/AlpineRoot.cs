namespace Apkgen.Package.Tests;

/// <summary>
/// A real Alpine root for the install tests: the kit's edge minirootfs (apk-tools 2.14.4,
/// busybox, musl) extracted into a directory, trusting the kit's key (the one abuild signed
/// the packages and indexes with), with abuild's repositories of apkgen (pkgrel 0 and 1) and
/// the kit's test repository under /srv. For apk 3 the kit's static apk 3.0.6 replaces
/// /sbin/apk, as apk-tools 3 installs it on Alpine 3.23. Commands run chrooted through
/// tests/package/in-root.sh (a private mount namespace with /proc, /dev, /sys).
/// </summary>
sealed class AlpineRoot
{
    public const string ApkgenRepository = "/srv/apkgen-r0", UpgradeRepository = "/srv/apkgen-r1", KitRepository = "/srv/kit-repo";

    AlpineRoot(string rootDirPath) => RootDirPath = rootDirPath;

    public string RootDirPath { get; }

    /// An Alpine root made before (e.g. the same subvolume mounted elsewhere).
    public static AlpineRoot At(string rootDirPath) => new(rootDirPath);

    /// The kit's directory (scripts/alpine-kit builds it once and prints it).
    public static string KitDirPath => Kit.Value;
    static readonly Lazy<string> Kit = new(() =>
    {
        var result = Tool.RunAsync(Repository.PathOf("scripts/alpine-kit"), [], timeout: TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"scripts/alpine-kit: {result.Describe()}");
        return result.StandardOutput.Trim();
    });

    /// The minirootfs tarball, where scripts/alpine-kit takes its inputs from.
    public static string MinirootfsTarball()
    {
        const string name = "alpine-minirootfs-20240923-x86_64.tar.gz";
        string[] places = [Path.Combine(Repository.RootDirPath, "..", "shared", "alpine", name), Path.Combine("/var/cache/apkgen/alpine-src", name)];
        var found = places.FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"{name} is in none of {string.Join(", ", places)}; scripts/alpine-kit fetches it");
        return found!;
    }

    /// Makes the root in <paramref name="rootDirPath"/> (an empty directory) for apk "apk2" or "apk3".
    public static async Task<AlpineRoot> CreateAsync(string rootDirPath, string apk, PackageBuild build)
    {
        var kit = KitDirPath;
        Directory.CreateDirectory(rootDirPath);
        await Must("tar", ["-xzf", MinirootfsTarball(), "-C", rootDirPath]);
        foreach (var key in Directory.GetFiles(Path.Combine(kit, "keys"), "*.rsa.pub"))
            File.Copy(key, Path.Combine(rootDirPath, "etc/apk/keys", Path.GetFileName(key)), overwrite: true);
        var root = new AlpineRoot(rootDirPath);
        await Must("cp", ["-a", build.RepositoryDirPath(0), root.InRoot(ApkgenRepository)]);
        await Must("cp", ["-a", build.RepositoryDirPath(1), root.InRoot(UpgradeRepository)]);
        await Must("cp", ["-a", Path.Combine(kit, "repo"), root.InRoot(KitRepository)]);
        File.WriteAllText(root.InRoot("/etc/apk/repositories"), $"{ApkgenRepository}\n{KitRepository}\n");
        if (apk == "apk3")
            await Must("install", ["-m755", Path.Combine(kit, "apk3/apk"), root.InRoot("/sbin/apk")]);
        else
            Assert.Equal("apk2", apk);
        return root;
    }

    /// A path of this root as seen from the host.
    public string InRoot(string path) => Path.Combine(RootDirPath, path.TrimStart('/'));

    /// Runs a command chrooted in the root (PATH /usr/sbin:/usr/bin:/sbin:/bin).
    public Task<Tool.Result> RunAsync(params string[] command) => InRootAsync(RootDirPath, command);

    /// Runs a script in a login shell of the root (Alpine's /etc/profile sets PATH), as root's
    /// shell, sudo's secure_path and scripts started from them see it.
    public Task<Tool.Result> LoginAsync(string script) => InRootAsync(RootDirPath, ["/bin/sh", "-l", "-c", script]);

    /// Runs a command chrooted in any root directory (e.g. a committed generation).
    public static Task<Tool.Result> InRootAsync(string rootDirPath, string[] command) =>
        Tool.RunAsync("sh", [Repository.PathOf("tests/package/in-root.sh"), rootDirPath, .. command], timeout: TimeSpan.FromMinutes(5));

    /// Every entry of a root but the pseudo filesystems' mount points' contents: "path kind mode [-> target]".
    public static SortedSet<string> Tree(string rootDirPath, params string[] except)
    {
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(rootDirPath, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(rootDirPath, path);
            if (relative.Split('/')[0] is "proc" or "dev" or "sys" && relative.Contains('/')) continue;
            if (except.Any(e => relative == e || relative.StartsWith(e + "/", StringComparison.Ordinal))) continue;
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target) entries.Add($"{relative} -> {target}");
            else if (Directory.Exists(path)) entries.Add($"{relative}/ {Convert.ToString((int)File.GetUnixFileMode(path), 8)}");
            else entries.Add($"{relative} {Convert.ToString((int)File.GetUnixFileMode(path), 8)}");
        }
        return entries;
    }

    /// The version of an installed package in a root's apk database, or null.
    public static string? InstalledVersion(string rootDirPath, string package)
    {
        var lines = File.ReadAllLines(Path.Combine(rootDirPath, "lib/apk/db/installed"));
        for (var i = 0; i < lines.Length - 1; i++)
            if (lines[i] == "P:" + package && lines[i + 1].StartsWith("V:", StringComparison.Ordinal)) return lines[i + 1][2..];
        return null;
    }

    static async Task Must(string tool, string[] arguments)
    {
        var result = await Tool.RunAsync(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {result.Describe()}");
    }
}
