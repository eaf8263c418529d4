using System.IO.Compression;
using System.Text;

namespace Apkgen.Package.Tests;

/// The trees the APKBUILD makes, file by file: paths, kinds and modes, per (sub)package.
[Collection(PackageBuildCollection.Name)]
public sealed class PackageTreeTests(PackageBuild build, ITestOutputHelper output)
{
    const string File644 = "0644", File755 = "0755";

    static readonly string[] Names =
        ["apkgen", "apkgen-doc", "apkgen-openrc", "apkgen-bash-completion", "apkgen-zsh-completion", "apkgen-fish-completion"];
    public static TheoryData<string> PackageNames => new(Names);

    /// What each package must hold: path -> "0755", "0644" or "-> target"; derived from the
    /// checkout so that a new init script, man page or hook is expected as soon as it exists.
    static Dictionary<string, string> Expected(string package)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (package)
        {
        case "apkgen":
            foreach (var exe in Repository.Executables) expected[$"usr/bin/{exe}"] = File755;
            expected["etc/apkgen.conf"] = File644;
            expected["etc/profile.d/apkgen-bootcheck.sh"] = File644;
            expected["etc/profile.d/apkgen.sh"] = File644;
            expected["etc/apk/commit_hooks.d/apkgen"] = File755;
            foreach (var f in Repository.Files("periodic", "*")) expected[$"etc/periodic/hourly/{Path.GetFileName(f)}"] = File755;
            break;
        case "apkgen-openrc":
            foreach (var f in Repository.Files("openrc", "*.initd")) expected[$"etc/init.d/{Path.GetFileNameWithoutExtension(f)}"] = File755;
            foreach (var f in Repository.Files("openrc", "*.confd")) expected[$"etc/conf.d/{Path.GetFileNameWithoutExtension(f)}"] = File644;
            break;
        case "apkgen-doc":
            foreach (var f in Repository.Files("doc", "*.scd"))
            {
                var page = Path.GetFileNameWithoutExtension(f);
                expected[$"usr/share/man/man{page[(page.LastIndexOf('.') + 1)..]}/{page}.gz"] = File644;
            }
            expected["usr/share/licenses/apkgen/LICENSE"] = File644;
            break;
        case "apkgen-bash-completion":
            foreach (var exe in Repository.Executables) expected[$"usr/share/bash-completion/completions/{exe}"] = File644;
            break;
        case "apkgen-zsh-completion":
            foreach (var exe in Repository.Executables) expected[$"usr/share/zsh/site-functions/_{exe}"] = File644;
            break;
        case "apkgen-fish-completion":
            foreach (var exe in Repository.Executables) expected[$"usr/share/fish/vendor_completions.d/{exe}.fish"] = File644;
            break;
        default:
            throw new ArgumentException(package);
        }
        return expected;
    }

    [Fact]
    public void The_real_abuild_builds_checks_and_packages_the_APKBUILD()
    {
        output.WriteLine($"abuild run in {build.WorkDirPath}: {build.Elapsed.TotalSeconds:F0} s, exit {build.ExitCode}");
        build.AssertBuilt();
        output.WriteLine(build.Manifest());
        // check() ran: the unit tests and each executable's --version.
        Assert.Matches(@"Passed!\s+- Failed:\s+0,", build.Log);
        Assert.Contains(">>> apkgen: Build complete at ", build.Log);
        foreach (var name in Names)
            Assert.Contains($">>> {name}: Create {name}-", build.Log);
    }

    [Fact]
    public void The_packages_are_the_main_one_and_its_five_splits()
    {
        build.AssertBuilt();
        Assert.Equal(Names.Order(StringComparer.Ordinal),
            build.Packages.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void Each_package_holds_exactly_the_expected_files_with_their_modes(string package)
    {
        build.AssertBuilt();
        var actual = build.Packages[package]
            .Where(e => e.Kind != 'd')
            .ToDictionary(e => e.Path, e => e.Kind == 'l' ? "-> " + e.LinkTarget : e.ModeText, StringComparer.Ordinal);
        var expected = Expected(package);
        output.WriteLine(string.Join('\n', build.Packages[package]));
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), actual.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void Every_directory_in_a_package_is_0755(string package)
    {
        build.AssertBuilt();
        var dirs = build.Packages[package].Where(e => e.Kind == 'd').ToList();
        Assert.All(dirs, d => Assert.Equal("0755", d.ModeText));
    }

    [Fact]
    public void No_package_puts_anything_under_usr_local_and_the_APKBUILD_needs_no_fhs_exception()
    {
        // aports takes no package with files in /usr/local: apkgen init makes the apk entry point.
        build.AssertBuilt();
        Assert.All(build.Packages, p => Assert.DoesNotContain(p.Value, e => e.Path == "usr/local" || e.Path.StartsWith("usr/local/", StringComparison.Ordinal)));
        var options = Repository.Read("APKBUILD").Split('\n').Single(l => l.StartsWith("options=", StringComparison.Ordinal));
        Assert.DoesNotContain("!fhs", options);
    }

    [Fact]
    public async Task The_binaries_are_stripped_ELF_executables_that_print_the_APKBUILD_version()
    {
        build.AssertBuilt();
        var pkgver = await ApkbuildVariable("pkgver");
        foreach (var exe in Repository.Executables)
        {
            var path = Path.Combine(build.PackageDirPath("apkgen"), "usr/bin", exe);
            var magic = File.ReadAllBytes(path).AsSpan(0, 4).ToArray();
            Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
            var sections = await Tool.RunAsync("readelf", ["-S", "-W", path]);
            Assert.Equal(0, sections.ExitCode);
            Assert.DoesNotContain(" .symtab ", sections.StandardOutput);
            var version = await Tool.RunAsync(path, ["--version"]);
            Assert.True(version.ExitCode == 0, version.Describe());
            Assert.StartsWith(pkgver, version.StandardOutput.Trim());
        }
    }

    [Fact]
    public void The_man_pages_are_gzipped_roff_made_by_scdoc()
    {
        build.AssertBuilt();
        var pages = build.Packages["apkgen-doc"].Where(e => e.Kind == 'f' && e.Path.StartsWith("usr/share/man/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(build.PackageDirPath("apkgen-doc"), page.Path)), CompressionMode.Decompress);
            using var reader = new StreamReader(gz, Encoding.UTF8);
            var text = reader.ReadToEnd();
            Assert.StartsWith(".\\\" Generated by scdoc", text);
            Assert.Contains(".TH \"", text);
        }
    }

    [Fact]
    public async Task The_splits_install_themselves_alongside_apkgen_and_depend_on_nothing()
    {
        build.AssertBuilt();
        var self = $"apkgen={await ApkbuildVariable("pkgver")}-r{await ApkbuildVariable("pkgrel")}";
        var triggers = new Dictionary<string, string>
        {
            ["apkgen-doc"] = "docs", ["apkgen-openrc"] = "openrc", ["apkgen-bash-completion"] = "bash-completion",
            ["apkgen-zsh-completion"] = "zsh", ["apkgen-fish-completion"] = "fish",
        };
        foreach (var (split, trigger) in triggers)
        {
            var meta = build.Meta[split];
            Assert.Equal(new[] { self, trigger }.Order(StringComparer.Ordinal),
                meta["install_if"].Single().Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
            Assert.Empty(meta["depend"]);
        }
        Assert.Empty(build.Meta["apkgen"]["install_if"]);
    }

    [Fact]
    public void The_main_package_depends_on_the_tools_apkgen_runs_and_the_shell_of_its_scripts()
    {
        // /bin/sh: abuild adds it for a package with install scripts. The static test build
        // needs no shared library; the musl build adds so:libc.musl-*.so.1 through scanelf.
        build.AssertBuilt();
        Assert.Equal(["/bin/sh", "apk-tools", "blkid", "btrfs-progs", "efibootmgr"], build.Meta["apkgen"]["depend"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_install_scripts_are_in_the_main_package()
    {
        build.AssertBuilt();
        var prefix = $"apkgen-{await ApkbuildVariable("pkgver")}-";
        var apk = build.ApkFiles(0).Single(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal));
        var listing = await Tool.RunAsync("tar", ["-tzf", apk, "--ignore-zeros"]);
        Assert.True(listing.ExitCode == 0, listing.Describe());
        Assert.Contains(".post-install", listing.StandardOutput.Split('\n'));
        Assert.Contains(".post-deinstall", listing.StandardOutput.Split('\n'));
    }

    [Fact]
    public async Task Under_abuilds_srcdir_the_test_projects_are_not_built_as_AOT_executables()
    {
        // abuild builds in $startdir/src/$pkgname-$pkgver: every project path there contains
        // "/src/", so a test that looks for "/src/" anywhere in the path mistakes the test
        // projects for the executables, and their reflection then fails the AOT analyzers.
        build.AssertBuilt();
        foreach (var project in new[] { "tests/Generations.Tests/Generations.Tests.csproj", "tests/TestSupport/TestSupport.csproj" })
        {
            var result = await Tool.RunAsync("dotnet", ["msbuild", project, "-getProperty:PublishAot", "-getProperty:IsAotCompatible"],
                workDirPath: build.BuildDirPath);
            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.DoesNotContain("\"true\"", result.StandardOutput.Replace(" ", ""));
        }
    }

    /// A metadata variable of the APKBUILD, read the way abuild would: by sourcing it.
    internal static async Task<string> ApkbuildVariable(string name)
    {
        var result = await Tool.RunAsync("busybox", ["ash", "-c", $". ./APKBUILD && printf %s \"${name}\""]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput;
    }
}
