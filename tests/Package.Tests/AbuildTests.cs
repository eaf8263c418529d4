using System.Text.RegularExpressions;

namespace Apkgen.Package.Tests;

/// What the real abuild said about the APKBUILD, and the signatures it made.
[Collection(PackageBuildCollection.Name)]
public sealed partial class AbuildTests(PackageBuild build, ITestOutputHelper output)
{
    [Fact]
    public void Every_warning_abuild_prints_is_explained_in_the_APKBUILD()
    {
        // abuild's own warnings (">>> WARNING: pkg: text") and errors; a comment
        // `# abuild warns: text` in the APKBUILD explains one that stays.
        build.AssertBuilt();
        var apkbuild = Repository.Read("APKBUILD");
        var warnings = build.Log.Split('\n').Select(l => AbuildWarning().Match(l)).Where(m => m.Success).Select(m => m.Groups[2].Value.Trim()).Distinct().ToList();
        output.WriteLine("abuild's warnings: " + (warnings.Count == 0 ? "none" : string.Join("\n  ", warnings)));
        Assert.All(warnings, w => Assert.Contains($"# abuild warns: {w}", apkbuild));
        Assert.DoesNotContain(">>> ERROR:", build.Log);
    }

    [Fact]
    public void The_linker_warnings_of_the_static_test_build_are_explained_in_the_APKBUILD()
    {
        // Not abuild's: the static glibc link of the test build (APKGEN_PUBLISH_TARGET) warns
        // about getaddrinfo, getpwnam_r ... needing glibc's shared libraries at run time.
        build.AssertBuilt();
        var apkbuild = Repository.Read("APKBUILD");
        var functions = LinkerWarning().Matches(build.Log).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine("static link warnings for: " + string.Join(", ", functions));
        Assert.All(functions, f => Assert.Contains(f, apkbuild));
    }

    [Fact]
    public async Task Abuilds_validate_the_former_sanitycheck_passes_without_a_warning()
    {
        // The lint abuild runs on every build (default_validate; `abuild sanitycheck` is its
        // old name): metadata, names, install scripts, checksums, the maintainer's address,
        // license, options.
        build.AssertBuilt();
        var result = await Tool.RunAsync(Repository.PathOf("scripts/abuild-real"), ["-F", "validate"],
            workDirPath: Path.Combine(build.WorkDirPath, "aports/apkgen"));
        output.WriteLine(result.Describe());
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.DoesNotContain("WARNING", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Every_package_and_the_index_are_signed_with_the_kits_key()
    {
        build.AssertBuilt();
        var kit = AlpineRoot.KitDirPath;
        foreach (var rel in new[] { 0, 1 })
        {
            var files = build.ApkFiles(rel);
            Assert.NotEmpty(files);
            var verified = await Tool.RunAsync(Path.Combine(kit, "apk2/apk"), ["--keys-dir", Path.Combine(kit, "keys"), "verify", .. files]);
            Assert.True(verified.ExitCode == 0, verified.Describe());
            // The same check without the key fails: apk verify checks the signature.
            var empty = Directory.CreateTempSubdirectory("apkgen-nokeys-").FullName;
            try
            {
                var unverified = await Tool.RunAsync(Path.Combine(kit, "apk2/apk"), ["--keys-dir", empty, "verify", files[0]]);
                Assert.NotEqual(0, unverified.ExitCode);
            }
            finally { Directory.Delete(empty); }
            var index = Path.Combine(build.RepositoryDirPath(rel), "x86_64/APKINDEX.tar.gz");
            var listing = await Tool.RunAsync("tar", ["-tzf", index, "--ignore-zeros"]);
            Assert.Contains(".SIGN.RSA." + Path.GetFileName(Directory.GetFiles(Path.Combine(kit, "keys"), "*.rsa.pub").Single()), listing.StandardOutput);
        }
    }

    [GeneratedRegex(@"^>>> WARNING: ([^:]*): (.*)$")]
    private static partial Regex AbuildWarning();

    [GeneratedRegex(@"warning: Using '(\w+)' in statically linked applications")]
    private static partial Regex LinkerWarning();
}
