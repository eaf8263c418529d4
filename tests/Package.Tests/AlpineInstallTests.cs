using Apkgen.Core;
using Apkgen.TestSupport;

namespace Apkgen.Package.Tests;

/// <summary>
/// The packages abuild made, installed by the real apk (2.14.4 and 3.0.6) into a real Alpine
/// root from abuild's signed repository, and then used: the post-install's advice, apkgen in
/// the root, and on loop btrfs init, a change through the installed wrapper, apkgen upgrading
/// itself and apk del.
/// </summary>
[Collection(PackageBuildCollection.Name)]
public sealed class AlpineInstallTests(PackageBuild build, ITestOutputHelper output)
{
    public static TheoryData<string> Apks => new(["apk2", "apk3"]);

    const string Packages = "apkgen apkgen-openrc apkgen-doc";

    /// apk 3's own log of what it did (apk 2.14 writes none): apk's, not the package's.
    const string ApkLog = "var/log/apk.log";

    async Task<Tool.Result> Step(string what, Task<Tool.Result> run)
    {
        var result = await run;
        output.WriteLine($"--- {what}: {result.Describe()}");
        return result;
    }

    static void Succeeded(Tool.Result result, string what) => Assert.True(result.ExitCode == 0, $"{what}: {result.Describe()}");

    [Theory]
    [MemberData(nameof(Apks))]
    public async Task Apk_installs_apkgen_with_its_openrc_and_doc_packages_and_del_leaves_the_root_as_it_was(string apk)
    {
        build.AssertBuilt();
        Sh.RequireRoot();
        var dir = Directory.CreateTempSubdirectory("apkgen-alpine-").FullName;
        try
        {
            var root = await AlpineRoot.CreateAsync(Path.Combine(dir, "root"), apk, build);
            var before = AlpineRoot.Tree(root.RootDirPath, ApkLog);
            var world = File.ReadAllText(root.InRoot("/etc/apk/world"));

            var add = await Step("apk add", root.RunAsync(["/sbin/apk", "add", .. Packages.Split(' ')]));
            Succeeded(add, "apk add " + Packages);
            // The post-install ran and says what to do next; it changes nothing.
            Assert.Contains("apkgen init", add.StandardOutput);
            Assert.Contains("/usr/local/sbin/apk", add.StandardOutput);
            foreach (var package in Packages.Split(' '))
                Assert.Equal($"{await PackageTreeTests.ApkbuildVariable("pkgver")}-r0", AlpineRoot.InstalledVersion(root.RootDirPath, package));

            var version = await Step("apkgen --version", root.RunAsync("/usr/bin/apkgen", "--version"));
            Succeeded(version, "apkgen --version in the Alpine root");
            Assert.StartsWith(await PackageTreeTests.ApkbuildVariable("pkgver"), version.StandardOutput.Trim());
            Assert.True(File.Exists(root.InRoot("/usr/share/man/man8/apkgen.8.gz")), "man apkgen's page is not installed");
            Assert.True(File.Exists(root.InRoot("/etc/init.d/apkgen-bootcheck")), "apkgen-openrc's init script is not installed");
            // Nothing under /usr/local: the entry point is init's to make.
            Assert.False(Path.Exists(root.InRoot(ApkEntryPoint.LinkPath)));
            Assert.Equal("/sbin/apk", (await root.LoginAsync("command -v apk")).StandardOutput.Trim());

            var del = await Step("apk del", root.RunAsync(["/sbin/apk", "del", .. Packages.Split(' ')]));
            Succeeded(del, "apk del " + Packages);
            var after = AlpineRoot.Tree(root.RootDirPath, ApkLog);
            Assert.Equal(world, File.ReadAllText(root.InRoot("/etc/apk/world")));
            Assert.Empty(before.Except(after));
            Assert.Empty(after.Except(before));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Apks))]
    public async Task On_btrfs_init_makes_apk_the_wrapper_a_change_and_a_self_upgrade_become_generations_and_del_restores_the_real_apk(string apk)
    {
        build.AssertBuilt();
        using var disk = LoopBtrfs.Create(1024);
        var top = disk.MountTop();
        Sh.Run("btrfs", "-q", "subvolume", "create", Path.Combine(top, "@"));
        await AlpineRoot.CreateAsync(Path.Combine(top, "@"), apk, build);
        string[] repositories = ["srv", ApkLog];
        var before = AlpineRoot.Tree(Path.Combine(top, "@"), repositories);
        // The running system: @ mounted as / of the chroot, so apkgen finds its device in mountinfo.
        var live = disk.MountTop("subvol=@");
        var root = AlpineRoot.At(live);

        Succeeded(await Step("apk add", root.RunAsync(["/sbin/apk", "add", .. Packages.Split(' ')])), "apk add " + Packages);
        Assert.Equal("/sbin/apk", (await root.LoginAsync("command -v apk")).StandardOutput.Trim());

        var init = await Step("apkgen init", root.RunAsync("/usr/bin/apkgen", "init", "--adopt", "@"));
        Succeeded(init, "apkgen init --adopt @");
        var first = CurrentRoot(top);
        foreach (var r in new[] { live, first })
            Assert.Equal(ApkEntryPoint.TargetPath, new FileInfo(Path.Combine(r, ApkEntryPoint.LinkPath.TrimStart('/'))).LinkTarget);
        Assert.Equal("/usr/local/sbin/apk", (await root.LoginAsync("command -v apk")).StandardOutput.Trim());

        // One change through the installed wrapper, as root types it.
        Succeeded(await Step("apk add hello", root.LoginAsync("apk add hello")), "apk add hello through the wrapper");
        var withHello = CurrentRoot(top);
        Assert.NotEqual(first, withHello);
        Assert.True(File.Exists(Path.Combine(withHello, "usr/bin/hello")), "hello is not in the new generation");
        Assert.False(File.Exists(Path.Combine(live, "usr/bin/hello")), "the running root changed");

        // apkgen upgrades itself: the old wrapper runs the transaction, the new generation has the new apkgen.
        var liveApkgen = File.ReadAllBytes(Path.Combine(live, "usr/bin/apkgen"));
        Succeeded(await Step("apk upgrade", root.LoginAsync($"apk -X {AlpineRoot.UpgradeRepository} upgrade")), "apk upgrade to pkgrel 1");
        var upgraded = CurrentRoot(top);
        Assert.NotEqual(withHello, upgraded);
        var pkgver = await PackageTreeTests.ApkbuildVariable("pkgver");
        Assert.Equal($"{pkgver}-r1", AlpineRoot.InstalledVersion(upgraded, "apkgen"));
        Assert.Equal($"{pkgver}-r0", AlpineRoot.InstalledVersion(withHello, "apkgen"));
        Assert.Equal($"{pkgver}-r0", AlpineRoot.InstalledVersion(live, "apkgen"));
        Assert.Equal(liveApkgen, File.ReadAllBytes(Path.Combine(live, "usr/bin/apkgen")));
        var newVersion = await Step("new apkgen --version", AlpineRoot.InRootAsync(upgraded, ["/usr/bin/apkgen", "--version"]));
        Succeeded(newVersion, "the new generation's apkgen");

        // apk del through the wrapper: the new generation is the system as it was, plus hello.
        Succeeded(await Step("apk del", root.LoginAsync("apk del " + Packages)), "apk del " + Packages);
        var removed = CurrentRoot(top);
        Assert.NotEqual(upgraded, removed);
        Assert.False(Path.Exists(Path.Combine(removed, ApkEntryPoint.LinkPath.TrimStart('/'))), "the apk entry point is still there");
        Assert.Equal("/sbin/apk", (await Step("command -v apk", AlpineRoot.InRootAsync(removed, ["/bin/sh", "-l", "-c", "command -v apk"]))).StandardOutput.Trim());
        var after = AlpineRoot.Tree(removed, repositories);
        output.WriteLine("gone: " + string.Join("\n  ", before.Except(after)));
        output.WriteLine("new: " + string.Join("\n  ", after.Except(before)));
        Assert.Empty(before.Except(after));
        var hello = (await AlpineRoot.InRootAsync(removed, ["/sbin/apk", "info", "-L", "hello"])).StandardOutput
            .Split('\n').Where(l => l.Length > 0 && !l.Contains(" contains:", StringComparison.Ordinal)).ToHashSet();
        // What hello added (its files and their directories), and nothing of apkgen's.
        var unexplained = after.Except(before).Select(e => e.Split(' ')[0].TrimEnd('/'))
            .Where(p => !hello.Any(f => f == p || f.StartsWith(p + "/", StringComparison.Ordinal))).ToList();
        Assert.Empty(unexplained);
        Assert.Contains("usr/bin/hello", hello);
    }

    /// The root of the generation in slot 0 of current (current -> links/LID, LID/0 -> snapshots/ID).
    static string CurrentRoot(string top) => Path.Combine(Sh.Run("realpath", Path.Combine(top, "current", "0")).Trim(), "@");
}
