namespace Apkgen.TestSupport;

/// <summary>
/// The real Alpine tools of scripts/alpine-kit: apk-tools 2.14.4 and 3.0.6, signed test
/// repositories, the signing key, the minirootfs tarballs. Made (or found) by running the
/// script once per test run; a kit that cannot be made fails the test with the script's
/// output, it never skips it.
/// </summary>
public static class AlpineKit
{
    /// <summary>
    /// The test run's variable that picks the apk every real-apk test uses: 2 (apk-tools
    /// 2.14.4, the default) or 3 (3.0.6). CI runs the real-apk tests once per value. Read by
    /// tests only, never by src/.
    /// </summary>
    public const string ApkVersionVariable = "APKGEN_TEST_APK";

    static readonly Lazy<string> KitDir = new(() =>
    {
        var (code, output) = Sh.TryIn(null, null, Path.Combine(Sh.RepoRoot, "scripts/alpine-kit"));
        var dir = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim();
        if (code == 0 && dir is not null && Directory.Exists(dir)) return dir;
        // A copy of the tree (the APKBUILD's check() in Package.Tests' abuild stand-in) has no
        // ../shared/alpine beside it to check the inputs against; a kit the script made before is
        // complete when its stamp and tools are there.
        var made = Environment.GetEnvironmentVariable("APKGEN_ALPINE_KIT") is { Length: > 0 } k ? k : "/var/cache/apkgen/alpine-kit";
        if (File.Exists(Path.Combine(made, ".apkgen-kit-stamp")) && File.Exists(Path.Combine(made, "apk3/apk")) && File.Exists(Path.Combine(made, "repo/x86_64/APKINDEX.tar.gz")))
            return made;
        throw new InvalidOperationException($"scripts/alpine-kit could not make the real Alpine kit (exit {code}):\n{output}");
    });

    /// <summary>The kit's directory (/var/cache/apkgen/alpine-kit by default).</summary>
    public static string Dir => KitDir.Value;

    /// <summary>The apk major version of this test run: 2 or 3.</summary>
    public static int ApkVersion
    {
        get
        {
            var v = Environment.GetEnvironmentVariable(ApkVersionVariable);
            return v switch
            {
                null or "" or "2" => 2,
                "3" => 3,
                _ => throw new InvalidOperationException($"{ApkVersionVariable}={v}: say 2 (apk-tools 2.14.4) or 3 (3.0.6)"),
            };
        }
    }

    /// <summary>apk-tools 2.14.4 (Alpine's own binary through its musl loader), runs on the host.</summary>
    public static string Apk2 => Existing(Path.Combine(Dir, "apk2/apk"));
    /// <summary>apk-tools 3.0.6, static: runs on the host and inside an Alpine root.</summary>
    public static string Apk3 => Existing(Path.Combine(Dir, "apk3/apk"));
    /// <summary>The apk of this test run (<see cref="ApkVersionVariable"/>).</summary>
    public static string Apk => ApkVersion == 3 ? Apk3 : Apk2;
    /// <summary>What <c>apk --version</c> of this run starts with.</summary>
    public static string ApkVersionText => ApkVersion == 3 ? "apk-tools 3.0.6" : "apk-tools 2.14.4";

    /// <summary>Signed repository of every test package but hello 2.0-r0 (a repository line: the directory above the arch).</summary>
    public static string Repo => Existing(Path.Combine(Dir, "repo"));
    /// <summary>The same plus hello 2.0-r0: pointing a root at it "publishes" an upgrade.</summary>
    public static string RepoUpdate => Existing(Path.Combine(Dir, "repo-update"));
    /// <summary>The public key the repositories are signed with (goes into ROOT/etc/apk/keys).</summary>
    public static string PublicKey =>
        Directory.GetFiles(Path.Combine(Dir, "keys"), "*.rsa.pub").SingleOrDefault()
        ?? throw new InvalidOperationException($"no single *.rsa.pub in {Dir}/keys: rerun scripts/alpine-kit");

    /// <summary>A minirootfs tarball: "3.20.3" (apk-tools 2.14.4-r0) or "20240923" (edge).</summary>
    public static string Minirootfs(string release = "3.20.3")
    {
        var name = $"alpine-minirootfs-{release}-x86_64.tar.gz";
        foreach (var dir in new[] { Path.Combine(Sh.RepoRoot, "../shared/alpine"), "/work/shared/alpine", "/var/cache/apkgen/alpine-src" })
            if (File.Exists(Path.Combine(dir, name))) return Path.GetFullPath(Path.Combine(dir, name));
        throw new InvalidOperationException($"{name} is neither in ../shared/alpine nor in /var/cache/apkgen/alpine-src: run scripts/alpine-kit");
    }

    static string Existing(string path) =>
        File.Exists(path) || Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing from the kit: rerun scripts/alpine-kit");
}
