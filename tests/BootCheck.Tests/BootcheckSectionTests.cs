using System.Text;
using Apkgen.Core;
using Apkgen.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Apkgen.BootCheck.Tests;

/// <summary>[bootcheck]: every key, its default, and its errors.</summary>
public class BootcheckSectionTests
{
    static BootcheckSection Parse(string ini)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ini));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        return ApkgenConfig.Bind(root, "/etc/apkgen.conf").Bootcheck;
    }

    [Fact]
    public void Every_key_has_its_documented_default()
    {
        var d = Parse("[bootcheck]\n");
        Assert.Equal(BootcheckMode.Counter, d.Mode);
        Assert.Equal(3, d.Attempts);
        Assert.Equal("/etc/apkgen/health.d", d.HealthDir);
        Assert.Equal(60, d.HealthTimeout);
        Assert.Equal(HealthFailureAction.Reboot, d.OnFailure);
        Assert.Equal(@"\EFI\refind\refind_x64.efi", d.RefindLoader);
        Assert.Equal("trial.conf", d.TrialConfig);
        Assert.Null(d.EfiDisk);
        Assert.Null(d.EfiPartition);
        Assert.Equal(new BootcheckSection(), d);
    }

    [Fact]
    public void Every_key_can_be_set()
    {
        var s = Parse("""
            [bootcheck]
            mode = trial
            attempts = 5
            health_dir = /srv/health
            health_timeout = 20
            on_failure = warn
            refind_loader = \EFI\BOOT\BOOTX64.EFI
            trial_config = apkgen-trial.conf
            efi_disk = /dev/nvme0n1
            efi_partition = 2
            """);
        Assert.Equal(new BootcheckSection
        {
            Mode = BootcheckMode.Trial, Attempts = 5, HealthDir = "/srv/health", HealthTimeout = 20, OnFailure = HealthFailureAction.Warn,
            RefindLoader = @"\EFI\BOOT\BOOTX64.EFI", TrialConfig = "apkgen-trial.conf", EfiDisk = "/dev/nvme0n1", EfiPartition = 2,
        }, s);
    }

    [Theory]
    [InlineData("on_failure = halt", "[bootcheck] on_failure = 'halt' is not one of reboot, warn")]
    [InlineData("health_timeout = 0", "[bootcheck] health_timeout = '0' is not a whole number from 1 to 3600")]
    [InlineData("health_dir = health.d", "[bootcheck] health_dir = 'health.d' is not an absolute path")]
    [InlineData("trial_config = my trial.conf", "[bootcheck] trial_config = 'my trial.conf' contains a space")]
    [InlineData("attempt = 3", "unknown key 'attempt' in [bootcheck]")]
    public void A_bad_value_is_a_configuration_error_naming_the_key(string line, string message)
    {
        var e = Assert.Throws<ApkgenException>(() => Parse("[bootcheck]\n" + line + "\n"));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
        Assert.Contains(message, e.Message);
    }
}
