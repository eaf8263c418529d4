using System.Text;
using Apkgen.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Apkgen.Generations.Tests;

public class ConfigTests
{
    static ApkgenConfig Parse(string ini)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ini));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        return ApkgenConfig.Bind(root, "/etc/apkgen.conf");
    }

    [Fact]
    public void Every_key_is_optional_and_has_its_default()
    {
        var c = Parse("");
        Assert.Null(c.Layout.Device);
        Assert.Equal(4, c.Layout.Links);
        Assert.Equal(["@var@tmp", "@var@cache", "@var@log", "@home"], c.Layout.Commons);
        Assert.Equal("/sbin/apk", c.Apk.Path);
        Assert.Equal(BootcheckMode.Counter, c.Bootcheck.Mode);
        Assert.True(c.Gc.Auto);
    }

    [Fact]
    public void Values_are_read_into_their_types()
    {
        var c = Parse("[layout]\ndevice = /dev/loop7\nlinks = 6\ncommons = @home @var@log\n[gc]\nauto = no\n");
        Assert.Equal("/dev/loop7", c.Layout.Device);
        Assert.Equal(6, c.Layout.Links);
        Assert.Equal(["@home", "@var@log"], c.Layout.Commons);
        Assert.False(c.Gc.Auto);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_file_and_the_key()
    {
        var e = Assert.Throws<ApkgenException>(() => Parse("[layout]\nlinkz = 4\n"));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
        Assert.Contains("/etc/apkgen.conf", e.Message);
        Assert.Contains("'linkz' in [layout]", e.Message);
    }

    [Fact]
    public void An_unknown_section_is_an_error()
    {
        var e = Assert.Throws<ApkgenException>(() => Parse("[layuot]\nlinks = 4\n"));
        Assert.Contains("layuot", e.Message);
    }

    [Theory]
    [InlineData("[layout]\nlinks = four\n", "links")]
    [InlineData("[layout]\nlinks = 1\n", "links")]
    [InlineData("[layout]\ndevice = loop0\n", "device")]
    [InlineData("[gc]\nauto = perhaps\n", "auto")]
    [InlineData("[bootcheck]\nmode = sometimes\n", "mode")]
    public void A_bad_value_is_an_error_naming_the_key(string ini, string key)
    {
        var e = Assert.Throws<ApkgenException>(() => Parse(ini));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
        Assert.Contains($"] {key} = ", e.Message);
    }

    [Fact]
    public void A_missing_named_file_is_an_error()
    {
        var e = Assert.Throws<ApkgenException>(() => ApkgenConfig.Load("/nonexistent/apkgen.conf"));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
    }

    [Fact]
    public void The_tolerant_reader_names_each_wrong_line_with_its_number_and_escaped_bytes()
    {
        var doc = ConfText.Parse("[layout]\ndevice = /dev/a\n[gc]\nx\u001b]0;owned\u0007\n[layout]\nDevice = /dev/b\n");
        Assert.Equal(
            [
                "line 4: 'x\\x1b]0;owned\\x07' is neither a [section], a key = value nor a comment",
                "line 6: key 'Device' appears twice in [layout]; each key may be set once",
            ],
            doc.Problems.Select(p => p.Message));
        Assert.True(doc.HasMalformedLines);
        Assert.Equal("/dev/b", doc.Get("LAYOUT", "device"));
    }

    /// <summary>The syntax the configuration stack read before: the two readers agree on every key of these files.</summary>
    [Theory]
    [InlineData("[apk]\npath = \"/opt/apk\"\n")]
    [InlineData("  [ layout ]  \r\n  Device=/dev/sda2  \r\n; c\n# c\n/ c\n[gc]\nauto = \"\n")]
    [InlineData("top = 1\n[refind]\noptions = quiet \"a=b\" x\nvolume = \"ROOT\"\n[refind:sub]\nk = v\n")]
    public void The_tolerant_reader_reads_what_the_ini_configuration_provider_read(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var ini = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        var ours = new ConfigurationBuilder().AddInMemoryCollection(ConfText.Parse(text).AsConfiguration()).Build();
        Assert.Equal(ini.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase),
            ours.AsEnumerable().OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_shipped_sample_reads_the_same_through_both_readers()
    {
        var text = File.ReadAllText(Path.Combine(Apkgen.TestSupport.Sh.RepoRoot, "apkgen.conf"));
        The_tolerant_reader_reads_what_the_ini_configuration_provider_read(text);
        Assert.Empty(ConfText.Parse(text).Problems);
    }

    [Fact]
    public void A_bad_line_in_the_file_is_a_configuration_error_naming_the_file_and_line()
    {
        var path = Path.Combine(Path.GetTempPath(), "apkgen-conftext-" + Guid.NewGuid().ToString("N") + ".conf");
        File.WriteAllText(path, "[gc]\nauto = no\nauto = yes\n");
        try
        {
            var e = Assert.Throws<ApkgenException>(() => ApkgenConfig.Load(path));
            Assert.Equal(ExitCodes.Config, e.ExitCode);
            Assert.Equal($"{path}: line 3: key 'auto' appears twice in [gc]; each key may be set once", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Printable_escapes_control_characters_and_keeps_printable_text()
    {
        Assert.Equal("plain text, é", Printable.Escape("plain text, é"));
        Assert.Equal("a\\x1b[2Jb\\x0ac\\x9b\\\\", Printable.Escape("a\u001b[2Jb\nc\u009b\\"));
    }
}
