using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;
using NSubstitute;

namespace Apkgen.BootCheck.Tests;

/// <summary>The efibootmgr adapter: its argument lists, and the -@ file byte for byte.</summary>
public class EfibootmgrTests
{
    const string Listing = "BootCurrent: 0001\nTimeout: 0 seconds\nBootOrder: 0001,0000\n" +
        "Boot0000* UiApp\tFvVol(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)\n" +
        "Boot0001* UEFI QEMU HARDDISK QM00001 \tPciRoot(0x0)/Pci(0x1,0x1)/Ata(0,0,0)N.....YM....R,Y.\n";

    static readonly byte[] Expected =
    [
        0x20, 0, 0x2D, 0, 0x63, 0, 0x20, 0,                      // " -c "
        0x74, 0, 0x72, 0, 0x69, 0, 0x61, 0, 0x6C, 0, 0x2E, 0,    // "trial."
        0x63, 0, 0x6F, 0, 0x6E, 0, 0x66, 0,                      // "conf"
        0, 0,                                                    // UCS-2 NUL
    ];

    static readonly EfiBootEntry Entry = new("apkgen trial", "/dev/vda", 1, @"\EFI\refind\refind_x64.efi", EfiBootEntry.TrialLoadOptions("trial.conf"));

    [Fact]
    public void The_trial_load_options_are_utf16le_with_a_leading_space_and_a_terminating_nul()
    {
        Assert.Equal(Expected, EfiBootEntry.TrialLoadOptions("trial.conf"));
    }

    /// <summary>
    /// A substitute efibootmgr that answers the listing and records every call; any call
    /// other than -v, -C, -B and -n fails the test.
    /// </summary>
    sealed class FakeEfibootmgr
    {
        public readonly IProcessRunner Runner = Substitute.For<IProcessRunner>();
        public readonly List<string> Calls = [];
        public byte[]? OptionsFile;
        public string Table = Listing;

        public FakeEfibootmgr()
        {
            Runner.RunCaptured(Arg.Any<ProcessSpec>()).Returns(ci =>
            {
                var spec = ci.Arg<ProcessSpec>();
                Assert.Equal("efibootmgr", spec.FileName);
                var args = spec.Arguments;
                Calls.Add(string.Join(' ', args));
                switch (args[0])
                {
                    case "-v":
                        return new ProcessResult(0, Table, "");
                    case "-C":
                        // The file must exist, with its final content, while efibootmgr runs.
                        OptionsFile = File.ReadAllBytes(args[args.ToList().IndexOf("-@") + 1]);
                        Table += "Boot0007  apkgen trial\tHD(1,GPT,0b5c)/File(\\EFI\\refind\\refind_x64.efi)\n";
                        return new ProcessResult(0, Table, "");
                    case "-b" when args.Count == 3 && args[2] == "-B":
                        Table = string.Concat(Table.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("Boot" + args[1], StringComparison.Ordinal)).Select(l => l + "\n"));
                        return new ProcessResult(0, Table, "");
                    case "-n" when args.Count == 2:
                        return new ProcessResult(0, Table, "");
                    default:
                        throw new Xunit.Sdk.XunitException("unexpected efibootmgr call: " + string.Join(' ', args));
                }
            });
            Runner.RunInteractive(Arg.Any<ProcessSpec>()).Returns(_ => throw new Xunit.Sdk.XunitException("unexpected interactive run"));
        }
    }

    static string TempDir() => Directory.CreateTempSubdirectory("apkgen-efi-").FullName;

    [Fact]
    public void A_missing_entry_is_created_outside_BootOrder_with_the_options_file_byte_for_byte()
    {
        var fake = new FakeEfibootmgr();
        var tmp = TempDir();
        var efi = new Efibootmgr(fake.Runner, tempDirPath: tmp);
        Assert.Equal("0007", efi.EnsureEntry(Entry));
        var optionsPath = Path.Combine(tmp, "trial-load-options.bin");
        Assert.Equal(["-v", $@"-C -d /dev/vda -p 1 -L apkgen trial -l \EFI\refind\refind_x64.efi -@ {optionsPath}"], fake.Calls);
        Assert.Equal(Expected, fake.OptionsFile);
        Assert.False(File.Exists(optionsPath), "the options file is removed after use");
        Directory.Delete(tmp, true);
    }

    [Fact]
    public void An_existing_entry_with_the_same_loader_is_reused()
    {
        var fake = new FakeEfibootmgr();
        fake.Table += "Boot0004* apkgen trial\tHD(1,GPT,0b5c)/File(\\EFI\\REFIND\\refind_x64.efi) .-.c. .t.r.i.a.l...c.o.n.f...\n";
        Assert.Equal("0004", new Efibootmgr(fake.Runner, tempDirPath: TempDir()).EnsureEntry(Entry));
        Assert.Equal(["-v"], fake.Calls);
    }

    [Fact]
    public void An_entry_with_the_label_but_another_loader_is_replaced()
    {
        var fake = new FakeEfibootmgr();
        fake.Table += "Boot0004* apkgen trial\tHD(1,GPT,0b5c)/File(\\EFI\\BOOT\\BOOTX64.EFI)\n";
        Assert.Equal("0007", new Efibootmgr(fake.Runner, tempDirPath: TempDir()).EnsureEntry(Entry));
        Assert.Equal("-b 0004 -B", fake.Calls[1]);
        Assert.StartsWith("-C ", fake.Calls[2]);
    }

    [Fact]
    public void BootNext_is_set_with_dash_n()
    {
        var fake = new FakeEfibootmgr();
        new Efibootmgr(fake.Runner).SetBootNext("0007");
        Assert.Equal(["-n 0007"], fake.Calls);
    }

    [Fact]
    public void A_failing_efibootmgr_is_an_error_that_names_the_call()
    {
        var runner = Substitute.For<IProcessRunner>();
        runner.RunCaptured(Arg.Any<ProcessSpec>()).Returns(new ProcessResult(5, "", "EFI variables are not supported on this system."));
        var e = Assert.Throws<ApkgenException>(() => new Efibootmgr(runner).SetBootNext("0007"));
        Assert.Contains("efibootmgr -n 0007 failed with 5: EFI variables are not supported", e.Message);
    }

    [Fact]
    public void The_listing_of_efibootmgr_17_and_18_is_parsed_with_labels_trimmed()
    {
        var entries = Efibootmgr.ParseEntries(Listing + "Boot000A  apkgen trial\r\nBootNext: 0007\n");
        Assert.Equal(["0000:UiApp", "0001:UEFI QEMU HARDDISK QM00001", "000A:apkgen trial"], entries.Select(e => e.Number + ":" + e.Label));
    }

    [Fact]
    public void Efivars_are_unavailable_when_the_directory_is_missing_or_empty()
    {
        var runner = Substitute.For<IProcessRunner>();
        Assert.False(new Efibootmgr(runner, "/nonexistent/efivars").Available);
        var empty = TempDir();
        Assert.False(new Efibootmgr(runner, empty).Available);
        File.WriteAllText(Path.Combine(empty, "BootOrder-8be4df61-93ca-11d2-aa0d-00e098032b8c"), "x");
        Assert.True(new Efibootmgr(runner, empty).Available);
        Directory.Delete(empty, true);
    }

    [Fact]
    public void The_real_efibootmgr_accepts_the_argument_list_it_is_given()
    {
        // Without efivars here, efibootmgr stops at "EFI variables are not supported",
        // after its argument parsing: a misspelt option would fail earlier with usage text.
        var (code, output) = Apkgen.TestSupport.Sh.Try("efibootmgr", "-C", "-d", "/dev/null", "-p", "1", "-L", "apkgen trial",
            "-l", @"\EFI\refind\refind_x64.efi", "-@", "/dev/null");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("usage", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("invalid option", output, StringComparison.OrdinalIgnoreCase);
    }
}
