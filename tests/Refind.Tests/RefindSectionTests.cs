using System.Text;
using Apkgen.Core;
using Apkgen.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Ini;

namespace Apkgen.Refind.Tests;

public class RefindSectionTests
{
    static ApkgenConfig Parse(string ini)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(ini));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        return ApkgenConfig.Bind(root, "/etc/apkgen.conf");
    }

    [Fact]
    public void Every_refind_key_has_its_documented_default()
    {
        var r = Parse("").Refind;
        Assert.Null(r.Output);
        Assert.Null(r.MainConfig);
        Assert.True(r.AddInclude);
        Assert.Null(r.TrialOutput);
        Assert.Equal(5, r.TrialTimeout);
        Assert.Equal("Alpine Linux", r.Title);
        Assert.Null(r.Volume);
        Assert.Null(r.Root);
        Assert.Null(r.Resume);
        Assert.Equal("ro,noatime", r.RootFlags);
        Assert.Equal("quiet", r.Options);
        Assert.Null(r.Flavor);
        Assert.Equal(["intel-ucode.img", "amd-ucode.img"], r.Microcode);
        Assert.Equal("/EFI/refind/icons/os_linux.png", r.Icon);
    }

    [Fact]
    public void Every_refind_key_is_read_from_the_file()
    {
        var r = Parse("""
            [refind]
            output = /boot/efi/EFI/refind/apkgen.conf
            main_config = /boot/efi/EFI/refind/refind.conf
            add_include = no
            trial_output = /boot/efi/EFI/refind/trial.conf
            trial_timeout = 3
            title = My Alpine
            volume = ROOT
            root = UUID=abc
            resume = none
            rootflags = ro
            options = quiet overlaytmpfs panic=10
            flavor = virt
            microcode = none
            icon = none
            """).Refind;
        Assert.Equal(new RefindSection
        {
            Output = "/boot/efi/EFI/refind/apkgen.conf", MainConfig = "/boot/efi/EFI/refind/refind.conf", AddInclude = false,
            TrialOutput = "/boot/efi/EFI/refind/trial.conf", TrialTimeout = 3, Title = "My Alpine", Volume = "ROOT",
            Root = "UUID=abc", Resume = "none", RootFlags = "ro", Options = "quiet overlaytmpfs panic=10", Flavor = "virt",
            Microcode = r.Microcode, Icon = null,
        }, r);
        Assert.Empty(r.Microcode);
    }

    [Fact]
    public void A_misspelt_refind_key_is_an_error_naming_it()
    {
        var e = Assert.Throws<ApkgenException>(() => Parse("[refind]\nvolumne = ROOT\n"));
        Assert.Contains("'volumne' in [refind]", e.Message);
        Assert.Equal(ExitCodes.Config, e.ExitCode);
    }

    [Fact]
    public void A_trial_timeout_of_zero_is_refused_because_the_menu_would_wait_forever()
    {
        Assert.Throws<ApkgenException>(() => Parse("[refind]\ntrial_timeout = 0\n"));
    }
}

public class SampleSnippetTests
{
    [Fact]
    public void The_sample_refind_block_shows_every_key_with_the_default_the_code_uses()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "apkgen.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "cannot find the repository root above " + AppContext.BaseDirectory);
        var snippet = File.ReadAllLines(Path.Combine(dir!.FullName, "doc", "apkgen.conf.refind.snippet"));
        static bool IsKey(string l) => l.Length > 1 && l[0] == '#' && char.IsAsciiLetterLower(l[1]) && l.Contains(" =");
        var uncommented = string.Join('\n', snippet.Select(l => IsKey(l) ? l[1..] : l));

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(uncommented));
        var root = new ConfigurationBuilder().Add(new IniStreamConfigurationSource { Stream = stream }).Build();
        var r = ApkgenConfig.Bind(root, "snippet").Refind;

        Assert.Equal(["output", "main_config", "add_include", "trial_output", "trial_timeout", "title", "volume", "root", "resume",
            "rootflags", "options", "flavor", "microcode", "icon"], snippet.Where(IsKey).Select(l => l[1..l.IndexOf(' ')]));
        Assert.Equal(new RefindSection
        {
            Output = "/boot/efi/EFI/refind/apkgen.conf",
            MainConfig = "/boot/efi/EFI/refind/refind.conf",
            TrialOutput = "/boot/efi/EFI/refind/trial.conf",
            Microcode = r.Microcode,
        }, r);
        Assert.Equal(RefindSection.DefaultMicrocode, r.Microcode);
    }
}
