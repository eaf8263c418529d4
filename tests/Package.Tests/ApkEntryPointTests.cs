using Apkgen.Core;

namespace Apkgen.Package.Tests;

/// apkgen init's apk entry point in a root: made where apkgen is, never over anything else.
public sealed class ApkEntryPointTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("apkgen-entry-").FullName;
    readonly StringWriter _err = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    SystemContext Context() => SystemContext.Real(new Core.Configuration.ApkgenConfig()) with { Err = _err };

    string Link => Path.Combine(_root, "usr/local/sbin/apk");

    void InstallApkgen()
    {
        Directory.CreateDirectory(Path.Combine(_root, "usr/bin"));
        File.WriteAllText(Path.Combine(_root, "usr/bin/apkgen"), "");
    }

    [Fact]
    public void In_a_root_with_apkgen_it_links_usr_local_sbin_apk_to_usr_bin_apkgen()
    {
        InstallApkgen();
        Assert.Equal(ApkEntryPoint.State.Missing, ApkEntryPoint.Install(Context(), _root));
        Assert.Equal("/usr/bin/apkgen", new FileInfo(Link).LinkTarget);
        Assert.Contains("linked /usr/local/sbin/apk in", _err.ToString());
        Assert.Equal(ApkEntryPoint.State.Present, ApkEntryPoint.Install(Context(), _root));
    }

    [Fact]
    public void In_a_root_without_apkgen_it_makes_no_link()
    {
        Assert.Equal(ApkEntryPoint.State.NoApkgen, ApkEntryPoint.Install(Context(), _root));
        Assert.False(Path.Exists(Link));
        Assert.False(Directory.Exists(Path.Combine(_root, "usr/local/sbin")));
    }

    [Fact]
    public void Something_else_at_usr_local_sbin_apk_is_left_alone_and_named()
    {
        InstallApkgen();
        Directory.CreateDirectory(Path.GetDirectoryName(Link)!);
        File.CreateSymbolicLink(Link, "/opt/apk");
        Assert.Equal(ApkEntryPoint.State.Occupied, ApkEntryPoint.Install(Context(), _root));
        Assert.Equal("/opt/apk", new FileInfo(Link).LinkTarget);
        Assert.Contains("left as it is", _err.ToString());
    }
}
