using System.Text;
using Apkgen.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Apkgen.Generations.Tests;

/// <summary>[auto] of apkgen.conf: off by default, every key read and checked.</summary>
public class AutoConfigTests
{
    static ApkgenConfig Parse(string ini)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ini));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        return ApkgenConfig.Bind(root, "/etc/apkgen.conf");
    }

    [Fact]
    public void Unattended_upgrades_are_off_until_a_policy_is_set()
    {
        var a = Parse("").Auto;
        Assert.Equal("none", a.Policy);
        Assert.Equal("03:00-05:00", a.Window.ToString());
        Assert.Equal(TimeSpan.FromDays(1), a.Interval);
        Assert.False(a.Stack);
    }

    [Fact]
    public void The_auto_section_is_read_into_its_types()
    {
        var a = Parse("[auto]\npolicy = Reboot\nwindow = 23:30-01:15\ninterval = 12h\nstack = yes\n").Auto;
        Assert.Equal("reboot", a.Policy);
        Assert.Equal("23:30-01:15", a.Window.ToString());
        Assert.Equal(TimeSpan.FromHours(12), a.Interval);
        Assert.True(a.Stack);
    }

    [Theory]
    [InlineData("[auto]\npolicy = always\n", "[auto] policy = 'always' is not one of none, check, stage, reboot")]
    [InlineData("[auto]\nwindow = 3am-5am\n", "[auto] window = '3am-5am' is not a time window HH:MM-HH:MM")]
    [InlineData("[auto]\ninterval = daily\n", "[auto] interval = 'daily' is not a duration from 1m to 365d")]
    [InlineData("[auto]\nstack = maybe\n", "[auto] stack = 'maybe' is not true or false")]
    [InlineData("[auto]\npolcy = check\n", "unknown key 'polcy' in [auto]")]
    public void A_bad_value_in_auto_is_an_error_naming_it(string ini, string message)
    {
        var e = Assert.Throws<ApkgenException>(() => Parse(ini));
        Assert.Contains(message, e.Message);
        Assert.Equal(ExitCodes.Config, e.ExitCode);
    }
}
