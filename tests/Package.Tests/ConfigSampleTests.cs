using System.Collections;
using System.Text.RegularExpressions;
using Apkgen.Core.Configuration;

namespace Apkgen.Package.Tests;

/// <summary>
/// The shipped /etc/apkgen.conf and apkgen.conf(5) against the code: every key the code reads is
/// shown in the sample, commented, with the code's default, and described in the man page under
/// its section; neither names a key the code does not read.
/// </summary>
public sealed partial class ConfigSampleTests
{
    /// (section, key) pairs the code reads, from the sources in src/Core/Configuration:
    /// each section record's Read method reads its keys through a ConfigReader (r.Int("links", ...)),
    /// and ApkgenConfig.Bind names the section of each record.
    static IReadOnlyList<(string Section, string Key)> KeysInCode()
    {
        var dir = Repository.PathOf("src/Core/Configuration");
        var sources = Directory.GetFiles(dir, "*.cs").Select(File.ReadAllText).ToList();
        var sectionOf = sources
            .SelectMany(s => Regex.Matches(s, @"(\w+)\.Read\(new ConfigReader\(root, ""(\w+)""").Cast<Match>())
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.NotEmpty(sectionOf);
        var keys = new List<(string, string)>();
        foreach (var source in sources)
        {
            var records = Regex.Matches(source, @"\brecord (\w+)").Cast<Match>().ToList();
            foreach (Match read in Regex.Matches(source, @"\br\.\w+\(""([\w-]+)"""))
            {
                var owner = records.Last(r => r.Index < read.Index).Groups[1].Value;
                Assert.True(sectionOf.ContainsKey(owner), $"{owner} reads '{read.Groups[1].Value}' but ApkgenConfig.Bind reads no section with it");
                keys.Add((sectionOf[owner], read.Groups[1].Value));
            }
        }
        return keys.Order().ToArray();
    }

    /// (section, key) pairs of an INI-like text, with a pattern for the key lines.
    static IReadOnlyList<(string Section, string Key)> Keys(string text, Regex sectionLine, Regex keyLine)
    {
        var keys = new List<(string, string)>();
        var section = "";
        foreach (var line in text.Split('\n'))
        {
            if (sectionLine.Match(line) is { Success: true } s) section = s.Groups[1].Value;
            else if (keyLine.Match(line) is { Success: true } k) keys.Add((section, k.Groups[1].Value));
        }
        return keys.Order().ToArray();
    }

    [Fact]
    public void The_sample_shows_every_key_the_code_reads_and_no_other()
    {
        var sample = Keys(Repository.Read("apkgen.conf"), SampleSection(), SampleKey());
        Assert.Equal(KeysInCode(), sample);
    }

    [Fact]
    public void Apkgen_conf_5_describes_every_key_the_code_reads_and_no_other()
    {
        var page = Keys(Repository.Read("doc/apkgen.conf.5.scd"), PageSection(), PageKey());
        Assert.Equal(KeysInCode(), page);
    }

    [Fact]
    public void Every_key_of_the_sample_is_commented_out()
    {
        var live = Regex.Matches(Repository.Read("apkgen.conf"), @"^\s*[\w-]+\s*=.*$", RegexOptions.Multiline);
        Assert.Empty(live.Select(m => m.Value));
    }

    [Fact]
    public void The_sample_uncommented_gives_the_defaults_of_the_code()
    {
        var uncommented = SampleKey().Replace(Repository.Read("apkgen.conf"), m => m.Value[1..]);
        var path = Path.Combine(Path.GetTempPath(), $"apkgen-sample-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, uncommented);
        try
        {
            var loaded = ApkgenConfig.Load(path);
            var defaults = new ApkgenConfig();
            foreach (var section in typeof(ApkgenConfig).GetProperties())
            {
                foreach (var key in section.PropertyType.GetProperties())
                {
                    var expected = key.GetValue(section.GetValue(defaults));
                    var actual = key.GetValue(section.GetValue(loaded));
                    var what = $"{section.Name}.{key.Name}";
                    if (expected is IEnumerable list and not string)
                        Assert.True(list.Cast<object>().SequenceEqual(((IEnumerable)actual!).Cast<object>()), $"{what} differs from its default");
                    else
                        Assert.True(Equals(expected, actual), $"{what}: the sample gives '{actual}', the code's default is '{expected}'");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_sample_as_shipped_loads()
    {
        Assert.Equal(new ApkgenConfig().Layout.Links, ApkgenConfig.Load(Repository.PathOf("apkgen.conf")).Layout.Links);
    }

    [GeneratedRegex(@"^\[(\w+)\]\s*$")]
    private static partial Regex SampleSection();

    // A commented default is "#key = value" (no space after #); prose comments start with "# ".
    [GeneratedRegex(@"^#([\w-]+)\s*=.*$", RegexOptions.Multiline)]
    private static partial Regex SampleKey();

    [GeneratedRegex(@"^# \[(\w+)\]\s*$")]
    private static partial Regex PageSection();

    [GeneratedRegex(@"^\*([\w-]+)\* = ")]
    private static partial Regex PageKey();
}
