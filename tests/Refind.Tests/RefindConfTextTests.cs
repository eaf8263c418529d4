using Apkgen.Core;
using Apkgen.Core.Configuration;
using Apkgen.Core.Model;
using Apkgen.Core.Refind;
using static Apkgen.Refind.Tests.Fixtures;

namespace Apkgen.Refind.Tests;

public class RefindConfTextTests
{
    static string Render(RefindSection settings, Apkgen.Core.Layout.LayoutState state, Dictionary<string, GenerationBoot> boots,
        RefindTarget? target = null) =>
        RefindConfText.Render(RefindMenuBuilder.Build(settings, target ?? Target, state, boots));

    [Fact]
    public void Four_slots_render_the_guides_stanza_with_labels_that_say_what_each_slot_holds()
    {
        var state = State(
            [
                Gen(Ids[0], BootState.Pending, "apk add nginx", new KernelInfo("lts", "6.12.1-r0")),
                Gen(Ids[1], BootState.Good, "apk upgrade", new KernelInfo("lts", "6.12.0-r0")),
                Gen(Ids[2], BootState.Good, "apk add vim", new KernelInfo("lts", "6.6.60-r0")),
                GuideGen(Ids[3]),
            ],
            [Ids[0], Ids[1], Ids[2], Ids[3]]);
        var boots = new Dictionary<string, GenerationBoot>
        {
            [Ids[0]] = LtsBoot("6.12.1-r0"), [Ids[1]] = LtsBoot("6.12.0-r0"),
            [Ids[2]] = LtsBoot("6.6.60-r0"), [Ids[3]] = LtsBoot("6.6.50-r0"),
        };

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            menuentry "Alpine Linux, 2026-11-25 18:20, lts 6.12.1-r0, pending: apk add nginx" {
                icon /EFI/refind/icons/os_linux.png
                volume "ROOT"
                loader /current/0/@/boot/vmlinuz-lts
                initrd /current/0/@/boot/initramfs-lts
                options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                submenuentry "Slot 1: 2026-11-24 09:00, lts 6.12.0-r0, last good: apk upgrade" {
                    loader /current/1/@/boot/vmlinuz-lts
                    initrd /current/1/@/boot/initramfs-lts
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/1/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                }
                submenuentry "Slot 2: 2026-11-23 09:00, lts 6.6.60-r0, good: apk add vim" {
                    loader /current/2/@/boot/vmlinuz-lts
                    initrd /current/2/@/boot/initramfs-lts
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/2/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                }
                submenuentry "Slot 3: 2026-11-22 09:00, lts 6.6.50-r0, good: made by hand" {
                    loader /current/3/@/boot/vmlinuz-lts
                    initrd /current/3/@/boot/initramfs-lts
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/3/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                }
            }

            """, Render(Settings, state, boots));
    }

    [Fact]
    public void One_slot_renders_a_single_menuentry_without_submenus()
    {
        var state = State([Gen(Ids[0], BootState.Good, "apkgen init", new KernelInfo("virt", "6.12.1-r0"))], [Ids[0]]);
        var boots = new Dictionary<string, GenerationBoot>
        {
            [Ids[0]] = Boot([new("virt", "6.12.1-r0")], "vmlinuz-virt", "initramfs-virt"),
        };

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            menuentry "Alpine Linux, 2026-11-25 18:20, virt 6.12.1-r0, last good: apkgen init" {
                icon /EFI/refind/icons/os_linux.png
                volume "ROOT"
                loader /current/0/@/boot/vmlinuz-virt
                initrd /current/0/@/boot/initramfs-virt
                options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
            }

            """, Render(Settings, state, boots));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void N_slots_give_one_menuentry_and_a_submenuentry_per_fallback_in_slot_order(int n)
    {
        var generations = Ids.Take(n).Select(id => Gen(id, BootState.Good, "apk upgrade", new KernelInfo("lts", "6.12.1-r0"))).ToList();
        var state = State(generations, Ids.Take(n).ToList());
        var boots = Ids.Take(n).ToDictionary(id => id, _ => LtsBoot());

        var text = Render(Settings, state, boots);
        var lines = text.Split('\n');

        Assert.Single(lines, l => l.StartsWith("menuentry ", StringComparison.Ordinal));
        var subs = lines.Where(l => l.StartsWith("    submenuentry ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, n - 1).Select(i => $"Slot {i}:"), subs.Select(l => l.Split('"')[1][..7]));
        var loaders = lines.Where(l => l.TrimStart().StartsWith("loader ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"loader /current/{i}/@/boot/vmlinuz-lts"), loaders);
        var options = lines.Where(l => l.TrimStart().StartsWith("options ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, n).Select(i => $"rootflags=subvol=/current/{i}/@,ro,noatime"),
            options.Select(o => o.Split(' ').Single(w => w.StartsWith("rootflags=", StringComparison.Ordinal))));
        Assert.Equal(lines.Count(l => l.Trim() == "}"), n);
        Assert.Equal(1, lines.Count(l => l.Contains("last good")));
    }

    [Fact]
    public void A_slot_without_the_configured_flavour_boots_its_own_and_a_bare_vmlinuz_gets_its_initrd()
    {
        var state = State(
            [
                Gen(Ids[0], BootState.Good, "apk add linux-lts", new KernelInfo("lts", "6.12.1-r0"), new KernelInfo("virt", "6.12.1-r0")),
                Gen(Ids[1], BootState.Good, "apk add linux-virt", new KernelInfo("virt", "6.6.60-r0")),
                Gen(Ids[2], BootState.Good, "debootstrap", new KernelInfo("", "6.1.0-13-amd64")),
            ],
            [Ids[0], Ids[1], Ids[2]]);
        var boots = new Dictionary<string, GenerationBoot>
        {
            [Ids[0]] = Boot([new("lts", "6.12.1-r0"), new("virt", "6.12.1-r0")], "vmlinuz-lts", "initramfs-lts", "vmlinuz-virt", "initramfs-virt"),
            [Ids[1]] = Boot([new("virt", "6.6.60-r0")], "vmlinuz-virt", "initramfs-virt"),
            [Ids[2]] = Boot([new("", "6.1.0-13-amd64")], "vmlinuz", "initrd.img"),
        };

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            menuentry "Alpine Linux, 2026-11-25 18:20, lts 6.12.1-r0, last good: apk add linux-lts" {
                icon /EFI/refind/icons/os_linux.png
                volume "ROOT"
                loader /current/0/@/boot/vmlinuz-lts
                initrd /current/0/@/boot/initramfs-lts
                options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                submenuentry "Slot 1: 2026-11-24 09:00, virt 6.6.60-r0, good: apk add linux-virt" {
                    loader /current/1/@/boot/vmlinuz-virt
                    initrd /current/1/@/boot/initramfs-virt
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/1/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                }
                submenuentry "Slot 2: 2026-11-23 09:00, kernel 6.1.0-13-amd64, good: debootstrap" {
                    loader /current/2/@/boot/vmlinuz
                    initrd /current/2/@/boot/initrd.img
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/2/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
                }
            }

            """, Render(Settings, state, boots));

        // [refind] flavor = virt: slot 0 now boots virt too.
        var virt = Render(Settings with { Flavor = "virt" }, state, boots);
        Assert.Contains("    loader /current/0/@/boot/vmlinuz-virt\n", virt);
    }

    [Fact]
    public void Microcode_goes_into_options_as_backslashed_initrd_paths_before_the_root_and_extra_options_follow()
    {
        var state = State(
            [Gen(Ids[0], BootState.Good, "apk add intel-ucode", new KernelInfo("lts", "6.12.1-r0")),
             Gen(Ids[1], BootState.Good, "apk upgrade", new KernelInfo("lts", "6.12.0-r0"))],
            [Ids[0], Ids[1]]);
        var boots = new Dictionary<string, GenerationBoot>
        {
            [Ids[0]] = LtsBoot("6.12.1-r0", "intel-ucode.img", "amd-ucode.img"),
            [Ids[1]] = LtsBoot("6.12.0-r0"),
        };
        var settings = Settings with { Options = "quiet overlaytmpfs panic=10", Microcode = ["amd-ucode.img", "intel-ucode.img"] };

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            menuentry "Alpine Linux, 2026-11-25 18:20, lts 6.12.1-r0, last good: apk add intel-ucode" {
                icon /EFI/refind/icons/os_linux.png
                volume "ROOT"
                loader /current/0/@/boot/vmlinuz-lts
                initrd /current/0/@/boot/initramfs-lts
                options "initrd=\current\0\@\boot\amd-ucode.img initrd=\current\0\@\boot\intel-ucode.img root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/0/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet overlaytmpfs panic=10"
                submenuentry "Slot 1: 2026-11-24 09:00, lts 6.12.0-r0, good: apk upgrade" {
                    loader /current/1/@/boot/vmlinuz-lts
                    initrd /current/1/@/boot/initramfs-lts
                    options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/1/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet overlaytmpfs panic=10"
                }
            }

            """, Render(settings, state, boots));
    }

    [Fact]
    public void Without_resume_icon_or_extra_options_those_parts_are_left_out()
    {
        var state = State([Gen(Ids[0], BootState.Good, "x", new KernelInfo("lts", "1"))], [Ids[0]]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = LtsBoot("1") };
        var text = Render(Settings with { Icon = null, Options = "", RootFlags = "ro" }, state, boots, Target with { Resume = null });

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            menuentry "Alpine Linux, 2026-11-25 18:20, lts 1, last good: x" {
                volume "ROOT"
                loader /current/0/@/boot/vmlinuz-lts
                initrd /current/0/@/boot/initramfs-lts
                options "root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/current/0/@,ro"
            }

            """, text);
    }

    [Fact]
    public void A_fallback_without_initramfs_clears_the_initrd_it_would_inherit_from_slot_0()
    {
        var state = State([Gen(Ids[0], BootState.Good, "a", new KernelInfo("lts", "1")), Gen(Ids[1], BootState.Bad, "b", new KernelInfo("lts", "0"))],
            [Ids[0], Ids[1]]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = LtsBoot("1"), [Ids[1]] = Boot([new("lts", "0")], "vmlinuz-lts") };

        var text = Render(Settings, state, boots);

        Assert.Contains("""
                submenuentry "Slot 1: 2026-11-24 09:00, lts 0, bad: b" {
                    loader /current/1/@/boot/vmlinuz-lts
                    initrd
                    options "root=
            """, text);
    }

    [Fact]
    public void Labels_are_printable_ascii_without_double_quotes_and_long_commands_are_cut()
    {
        var state = State(
            [Gen(Ids[0], BootState.Good, "apk add \"caf\u00e9\" \\ tab\there", new KernelInfo("lts", "1")),
             Gen(Ids[1], BootState.Good, "apkgen exec -- sh -c 'apk add a b c d e f g h i j k l m n o p q'", new KernelInfo("lts", "1"))],
            [Ids[0], Ids[1]]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = LtsBoot("1"), [Ids[1]] = LtsBoot("1") };

        var text = Render(Settings, state, boots);

        Assert.Contains("menuentry \"Alpine Linux, 2026-11-25 18:20, lts 1, last good: apk add 'caf?' / tab here\" {\n", text);
        Assert.Contains("submenuentry \"Slot 1: 2026-11-24 09:00, lts 1, good: apkgen exec -- sh -c 'apk add a b c d e f g h...\" {\n", text);
    }

    [Fact]
    public void A_guide_made_generation_with_an_id_not_in_seed_form_is_labelled_by_its_id()
    {
        var state = State([GuideGen("hand-made")], ["hand-made"]);
        var boots = new Dictionary<string, GenerationBoot> { ["hand-made"] = LtsBoot("6.6.1-r0") };

        Assert.Contains("menuentry \"Alpine Linux, hand-made, lts 6.6.1-r0, last good: made by hand\" {", Render(Settings, state, boots));
    }

    [Fact]
    public void A_fallback_slot_without_a_kernel_gets_a_comment_instead_of_an_entry()
    {
        var state = State([Gen(Ids[0], BootState.Good, "a", new KernelInfo("lts", "1")), Gen(Ids[1], BootState.Good, "b")], [Ids[0], Ids[1], null]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = LtsBoot("1"), [Ids[1]] = Boot([]) };

        var text = Render(Settings, state, boots);

        Assert.Contains("# slot 1 (20261124090000bbbbbbbb): no entry, its generation has no kernel in /boot\n", text);
        Assert.Contains("# slot 2: no entry, its link names no generation\n", text);
        Assert.DoesNotContain("submenuentry", text);
    }

    [Fact]
    public void Slot_0_without_a_kernel_is_an_error_not_an_unbootable_file()
    {
        var state = State([Gen(Ids[0], BootState.Good, "a")], [Ids[0]]);
        var e = Assert.Throws<ApkgenException>(() => Render(Settings, state, new() { [Ids[0]] = Boot([]) }));
        Assert.Equal(ExitCodes.DataError, e.ExitCode);
    }

    [Fact]
    public void A_volume_with_a_double_quote_is_refused()
    {
        var state = State([Gen(Ids[0], BootState.Good, "a", new KernelInfo("lts", "1"))], [Ids[0]]);
        var e = Assert.Throws<ApkgenException>(() => Render(Settings, state, new() { [Ids[0]] = LtsBoot("1") }, Target with { Volume = "RO\"OT" }));
        Assert.Equal(ExitCodes.Config, e.ExitCode);
        Assert.Contains("[refind] volume", e.Message);
    }

    [Fact]
    public void A_boot_file_name_that_would_need_quotes_is_refused()
    {
        var state = State([Gen(Ids[0], BootState.Good, "a", new KernelInfo("my lts", "1"))], [Ids[0]]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = Boot([new("my lts", "1")], "vmlinuz-my lts") };
        Assert.Throws<ApkgenException>(() => Render(Settings, state, boots));
    }

    [Fact]
    public void Trial_conf_is_a_main_config_whose_first_entry_boots_pending_0_and_that_includes_the_stanzas()
    {
        var state = State(
            [Gen(Ids[0], BootState.Pending, "apk upgrade", new KernelInfo("lts", "6.12.2-r0")),
             Gen(Ids[1], BootState.Good, "apk add vim", new KernelInfo("lts", "6.12.1-r0"))],
            [Ids[1], Ids[1]], pending: [Ids[0], Ids[1]]);
        var boots = new Dictionary<string, GenerationBoot> { [Ids[0]] = LtsBoot("6.12.2-r0", "intel-ucode.img"), [Ids[1]] = LtsBoot("6.12.1-r0") };
        var trial = new RefindTrialConf(5, "ROOT", Settings.Icon, RefindMenuBuilder.BuildTrial(Settings, Target, state, boots), "apkgen.conf");

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            # Trial boot (apkgen-bootcheck(8), mode trial): started once through BootNext with -c trial.conf.
            timeout 5
            scanfor manual
            default_selection 1
            menuentry "Alpine Linux trial, 2026-11-25 18:20, lts 6.12.2-r0, pending: apk upgrade" {
                icon /EFI/refind/icons/os_linux.png
                volume "ROOT"
                loader /pending/0/@/boot/vmlinuz-lts
                initrd /pending/0/@/boot/initramfs-lts
                options "initrd=\pending\0\@\boot\intel-ucode.img root=UUID=b9ff5e7b-e128-4e64-861a-2fdd794a9828 rootfstype=btrfs rootflags=subvol=/pending/0/@,ro,noatime resume=UUID=f0239163-9d46-47c1-67a4-3ee1d63d0676 quiet"
            }
            include apkgen.conf

            """, RefindConfText.RenderTrial(trial));
    }

    [Fact]
    public void Trial_conf_without_a_pending_generation_falls_through_to_the_normal_slot_0()
    {
        var state = State([Gen(Ids[1], BootState.Good, "a", new KernelInfo("lts", "1"))], [Ids[1]]);
        var trial = new RefindTrialConf(7, "ROOT", null, RefindMenuBuilder.BuildTrial(Settings, Target, state, new Dictionary<string, GenerationBoot>()), "apkgen/stanzas.conf");

        Assert.Equal("""
            # Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,
            # rollback and demotion. Change [refind] in /etc/apkgen.conf instead.
            # Trial boot (apkgen-bootcheck(8), mode trial): started once through BootNext with -c trial.conf.
            timeout 7
            scanfor manual
            default_selection 1
            # Nothing is pending: the default is the normal slot 0.
            include apkgen/stanzas.conf

            """, RefindConfText.RenderTrial(trial));
    }
}
