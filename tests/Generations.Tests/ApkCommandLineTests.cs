using Apkgen.Core.Apk;

namespace Apkgen.Generations.Tests;

public class ApkCommandLineTests
{
    [Theory]
    [InlineData("add nginx", "add", ApkAction.Transaction)]
    [InlineData("-U add nginx", "add", ApkAction.Transaction)]
    [InlineData("--repository /x add -t .build-deps gcc", "add", ApkAction.Transaction)]
    [InlineData("-X /x del nginx", "del", ApkAction.Transaction)]
    [InlineData("upgrade -a", "upgrade", ApkAction.Transaction)]
    [InlineData("fix", "fix", ApkAction.Transaction)]
    [InlineData("add -s nginx", "add", ApkAction.PassThrough)]
    [InlineData("--simulate upgrade", "upgrade", ApkAction.PassThrough)]
    [InlineData("-qs upgrade", "upgrade", ApkAction.PassThrough)]
    [InlineData("update", "update", ApkAction.Ephemeral)]
    [InlineData("cache sync", "cache", ApkAction.Ephemeral)]
    [InlineData("info -vv", "info", ApkAction.PassThrough)]
    [InlineData("list --installed", "list", ApkAction.PassThrough)]
    [InlineData("search nginx", "search", ApkAction.PassThrough)]
    [InlineData("policy nginx", "policy", ApkAction.PassThrough)]
    [InlineData("version -l <", "version", ApkAction.PassThrough)]
    [InlineData("dot", "dot", ApkAction.PassThrough)]
    [InlineData("stats", "stats", ApkAction.PassThrough)]
    [InlineData("manifest nginx", "manifest", ApkAction.PassThrough)]
    [InlineData("audit", "audit", ApkAction.PassThrough)]
    [InlineData("query --installed", "query", ApkAction.PassThrough)]
    [InlineData("fetch nginx", "fetch", ApkAction.PassThrough)]
    [InlineData("index -o x *.apk", "index", ApkAction.PassThrough)]
    [InlineData("verify x.apk", "verify", ApkAction.PassThrough)]
    [InlineData("frobnicate", null, ApkAction.PassThrough)]
    [InlineData("frobnicate del x", "del", ApkAction.Transaction)]
    [InlineData("-X add nginx", "add", ApkAction.Transaction)]
    [InlineData("--virtual add nginx", "add", ApkAction.Transaction)]
    [InlineData("--cache-packages add nginx", "add", ApkAction.Transaction)]
    [InlineData("-- add nginx", "add", ApkAction.Transaction)]
    [InlineData("search add", "search", ApkAction.PassThrough)]
    [InlineData("add --help", "add", ApkAction.PassThrough)]
    [InlineData("-h", null, ApkAction.PassThrough)]
    // apk 3's value-taking global options: the next argument is their value, not --root.
    [InlineData("--repository-config --root=/mnt add x", "add", ApkAction.Transaction)]
    [InlineData("--preupgrade-depends --root=/mnt add x", "add", ApkAction.Transaction)]
    [InlineData("query --installed hello", "query", ApkAction.PassThrough)]
    [InlineData("--version", null, ApkAction.PassThrough)]
    [InlineData("", null, ApkAction.PassThrough)]
    public void Applets_are_classified_as_apk_tools_2_and_3_define_them(string args, string? applet, ApkAction action)
    {
        var line = ApkCommandLine.Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(applet, line.Applet);
        Assert.Equal(action, line.Action);
    }

    [Theory]
    [InlineData("--root /mnt add nginx")]
    [InlineData("-p /mnt add nginx")]
    [InlineData("-p/mnt add nginx")]
    [InlineData("--root=/mnt upgrade")]
    public void Another_root_than_the_live_one_passes_straight_through(string args) =>
        Assert.Equal(ApkAction.PassThrough, ApkCommandLine.Parse(args.Split(' ')).Action);

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/.")]
    [InlineData("/proc/self/root")]
    public void A_root_that_resolves_to_slash_is_the_live_system(string root) =>
        Assert.Equal(ApkAction.Transaction, ApkCommandLine.Parse(["--root", root, "add", "x"]).Action);

    [Fact]
    public void Roots_are_resolved_with_the_given_resolver()
    {
        // e.g. --root . run from /, or a link to /
        Assert.Equal(ApkAction.Transaction, ApkCommandLine.Parse(["--root", "live", "add", "x"], _ => "/").Action);
        Assert.Equal(ApkAction.PassThrough, ApkCommandLine.Parse(["--root", "/", "add", "x"], _ => null).Action);
    }
}
