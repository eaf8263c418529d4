using Apkgen.TestSupport;

namespace Apkgen.Package.Tests;

/// apkgen.post-deinstall in an Alpine root (busybox sh, chrooted as apk runs it): it removes the
/// apk entry point init made, and nothing the administrator made.
public sealed class PostDeinstallTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-deinstall-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    async Task<string> RootWithLinkTo(string target)
    {
        Sh.RequireRoot();
        var root = Path.Combine(_dir, "root");
        Directory.CreateDirectory(root);
        var untar = await Tool.RunAsync("tar", ["-xzf", AlpineRoot.MinirootfsTarball(), "-C", root]);
        Assert.True(untar.ExitCode == 0, untar.Describe());
        Directory.CreateDirectory(Path.Combine(root, "usr/local/sbin"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/local/sbin/apk"), target);
        File.Copy(Repository.PathOf("apkgen.post-deinstall"), Path.Combine(root, "post-deinstall"));
        return root;
    }

    [Fact]
    public async Task It_removes_the_link_to_apkgen_and_the_empty_directory_init_made()
    {
        var root = await RootWithLinkTo("/usr/bin/apkgen");
        var result = await AlpineRoot.InRootAsync(root, ["/bin/sh", "/post-deinstall"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.False(Path.Exists(Path.Combine(root, "usr/local/sbin/apk")));
        Assert.False(Directory.Exists(Path.Combine(root, "usr/local/sbin")));
    }

    [Fact]
    public async Task It_leaves_a_link_to_anything_else_alone()
    {
        var root = await RootWithLinkTo("/opt/apk/apk");
        var result = await AlpineRoot.InRootAsync(root, ["/bin/sh", "/post-deinstall"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("/opt/apk/apk", new FileInfo(Path.Combine(root, "usr/local/sbin/apk")).LinkTarget);
    }
}
