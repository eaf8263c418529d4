using System.Text;
using Apkgen.Hooks.Commands;
using Apkgen.TestSupport;

namespace Apkgen.Hooks.Tests;

/// <summary>
/// The native front (src/Hooks/native/apk-front.c) reads apkgen.conf itself, before the .NET
/// runtime starts, to exec the real apk for a read-only applet. It is the one reader of the file
/// besides <c>ConfText</c>: whenever it decides (it may leave any doubt to the managed side),
/// it must read the [apk] path and [layout] device that the managed fast path
/// (<see cref="ApkHandler.RealApkPathFast"/>, <see cref="ApkHandler.RealDeviceFast"/>) reads,
/// or a read-only applet would run another apk than the one apkgen runs for a change, or
/// consult another device's switch marker.
/// </summary>
public sealed class FrontConfigTests(CompiledFront front) : IClassFixture<CompiledFront>, IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-front-conf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string text)
    {
        var path = Path.Combine(_dir, "apkgen.conf");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(text));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    void AssertAgree(string text, string? path = null)
    {
        path ??= Write(text);
        var native = front.Config(path);
        if (native is not { } n) return; // in doubt: the managed side decides, with ConfText
        Assert.True(n.Path == ApkHandler.RealApkPathFast(path), $"[apk] path of {Printable(text)}: the front read '{n.Path}', ConfText '{ApkHandler.RealApkPathFast(path)}'");
        Assert.True(n.Device == ApkHandler.RealDeviceFast(path), $"[layout] device of {Printable(text)}: the front read '{n.Device}', ConfText '{ApkHandler.RealDeviceFast(path)}'");
    }

    static string Printable(string text) => "'" + text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t") + "'";

    /// <summary>Files the front must decide by itself (an ordinary apkgen.conf), and what both readers read.</summary>
    [Theory]
    [InlineData("", "/sbin/apk", "")]
    [InlineData("[apk]\npath = /usr/local/bin/apk\n", "/usr/local/bin/apk", "")]
    [InlineData("[apk]\r\npath = /usr/local/bin/apk\r\n[layout]\r\ndevice = /dev/vda2\r\n", "/usr/local/bin/apk", "/dev/vda2")]
    [InlineData("  [ APK ]  \n\tPath\t=\t/opt/apk  \n", "/opt/apk", "")]
    [InlineData("# [apk]\n; path = /not/this\n[apk]\n# path = /nor/this\npath=/this\n", "/this", "")]
    [InlineData("[apk]\npath = /first\npath = /last\n", "/last", "")]
    [InlineData("[layout]\npath = /not/apk\ndevice = UUID=1234-abcd\n", "/sbin/apk", "UUID=1234-abcd")]
    [InlineData("[apk]\npath =\n[layout]\ndevice =  \n", "/sbin/apk", "")]
    [InlineData("[apk]\npath = \"/quoted/apk\"\n", "\"/quoted/apk\"", "")]
    [InlineData("[apk]\npath = /a = b\n", "/a = b", "")]
    [InlineData("path = /before/any/section\n[apk]\n", "/sbin/apk", "")]
    [InlineData("[apk]\npath = /a\n[gc]\npath = /b\n[apk]\n", "/a", "")]
    [InlineData("[layout]\ndevice = /dev/sda2\n[boot]\n[layout]\ndevice = /dev/sdb2\n", "/sbin/apk", "/dev/sdb2")]
    public void The_front_reads_an_ordinary_file_as_ConfText_does(string text, string path, string device)
    {
        var file = Write(text);
        Assert.Equal((path, device), front.Config(file));
        AssertAgree(text, file);
    }

    [Fact]
    public void A_missing_file_is_apk_tools_default_for_both()
    {
        var missing = Path.Combine(_dir, "none.conf");
        Assert.Equal(("/sbin/apk", ""), front.Config(missing));
        Assert.Equal("/sbin/apk", ApkHandler.RealApkPathFast(missing));
    }

    /// <summary>Files the front leaves to the managed side: a malformed line, a control or non-ASCII byte, a file others may write.</summary>
    [Theory]
    [InlineData("[apk]\njunk\npath = /a\n")]
    [InlineData("[apk\npath = /a\n")]
    [InlineData("[apk]\n= /a\n")]
    [InlineData("[apk]\npath = /a\u000b\n")]
    [InlineData("[apk]\npath = /\u00e9\n")]
    [InlineData("\u00ef\u00bb\u00bf[apk]\npath = /a\n")]
    [InlineData("[apk]\npath = /a\0\n")]
    public void The_front_is_in_doubt_where_the_managed_side_must_decide(string text) =>
        Assert.Null(front.Config(Write(text)));

    [Fact]
    public void A_file_the_group_may_write_is_left_to_the_managed_side_which_refuses_it()
    {
        var file = Write("[apk]\npath = /a\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead);
        Assert.Null(front.Config(file));
    }

    /// <summary>
    /// Generated files from the pieces an apkgen.conf is made of, and the pieces that go wrong:
    /// wherever the front decides, both read the same. The seed is fixed: a failure repeats.
    /// </summary>
    [Fact]
    public void The_front_agrees_with_ConfText_on_generated_files()
    {
        string[] pieces =
        [
            "[apk]", "[APK]", " [ apk ] ", "[layout]", "[Layout]", "[gc]", "[]", "[apk", "[apk]]",
            "path = /sbin/apk", "path=/usr/bin/apk", "PATH = /x", "path =", "path = \"/q\"", "path = /a b ", "\tpath\t=\t/t\t",
            "device = /dev/vda2", "Device=UUID=x", "device =", "device = \"/dev/q\"", "keep = 3",
            "# comment", "; comment", "/ slash comment = /s", "// path = /c", "junk", "= /v", "", "   ", "\t",
        ];
        var random = new Random(14);
        var decided = 0;
        for (var i = 0; i < 2000; i++)
        {
            var lines = Enumerable.Range(0, random.Next(0, 9)).Select(_ => pieces[random.Next(pieces.Length)]);
            var text = string.Join(random.Next(2) == 0 ? "\n" : "\r\n", lines) + (random.Next(2) == 0 ? "\n" : "");
            AssertAgree(text);
            if (front.Config(Write(text)) is not null) decided++;
        }
        // Not vacuous: most generated files are ordinary enough for the front to decide.
        Assert.True(decided > 500, $"the front decided only {decided} of 2000 generated files");
    }
}
