using System.Security.Cryptography;
using System.Text;

namespace Apkgen.TestSupport;

/// <summary>
/// apkgen published statically (scripts/publish --static: glibc, no shared libraries), so it
/// runs inside an Alpine root as on a booted Alpine system. Published once per source tree:
/// the output lives in /var/cache/apkgen/static-apkgen/HASH, HASH covering every file under
/// src/ and Directory.Build.props, so a test run after an edit publishes again and later runs
/// reuse it.
/// </summary>
public static class StaticApkgen
{
    static readonly Lazy<string> Published = new(Publish);

    /// <summary>The directory holding the static apkgen executable.</summary>
    public static string Dir => Published.Value;

    /// <summary>Installs it into an Alpine root as the package lays it out: /usr/sbin/apkgen, /usr/local/sbin/apk, /etc/apkgen.conf.</summary>
    public static void InstallInto(string root, string config)
    {
        var sbin = Path.Combine(root, "usr/sbin");
        Directory.CreateDirectory(sbin);
        File.Copy(Path.Combine(Dir, "apkgen"), Path.Combine(sbin, "apkgen"), overwrite: true);
        var local = Path.Combine(root, "usr/local/sbin");
        Directory.CreateDirectory(local);
        var link = Path.Combine(local, "apk");
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null) File.Delete(link);
        File.CreateSymbolicLink(link, "/usr/sbin/apkgen");
        File.WriteAllText(Path.Combine(root, "etc/apkgen.conf"), config);
    }

    static string Publish()
    {
        var hash = SourceHash();
        var dir = Path.Combine("/var/cache/apkgen/static-apkgen", hash);
        var exe = Path.Combine(dir, "apkgen");
        if (File.Exists(exe)) return dir;
        Directory.CreateDirectory("/var/cache/apkgen/static-apkgen");
        // Test processes of several projects may publish at once: one at a time.
        using var lockFile = LockFile("/var/cache/apkgen/static-apkgen/.lock");
        if (File.Exists(exe)) return dir;
        var tmp = dir + ".part";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        var (code, output) = Sh.TryIn(null, null, "dotnet", "publish", Path.Combine(Sh.RepoRoot, "src/Hooks/Hooks.csproj"), "-c", "Release", "-r", "linux-x64",
            "-o", tmp, "-nologo", "-clp:ErrorsOnly", "-p:DebugType=none", "-p:StaticExecutable=true", "-p:PositionIndependentExecutable=false");
        if (code != 0 || !File.Exists(Path.Combine(tmp, "apkgen")))
            throw new InvalidOperationException($"publishing the static apkgen failed (exit {code}):\n{output}");
        Directory.Move(tmp, dir);
        return dir;
    }

    static FileStream LockFile(string path)
    {
        for (var i = 0; ; i++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (i < 1200) { Thread.Sleep(500); }
        }
    }

    static string SourceHash()
    {
        var repo = Sh.RepoRoot;
        var files = Directory.EnumerateFiles(Path.Combine(repo, "src"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
            .Append(Path.Combine(repo, "Directory.Build.props"))
            .Order(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(repo, f) + "\0"));
            sha.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
