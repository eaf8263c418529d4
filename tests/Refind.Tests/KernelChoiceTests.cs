using Apkgen.Core.Configuration;
using Apkgen.Core.Model;
using Apkgen.Core.Refind;
using static Apkgen.Refind.Tests.Fixtures;

namespace Apkgen.Refind.Tests;

/// <summary>The one choice of kernel and initramfs the menu and trial arming share.</summary>
public class KernelChoiceTests
{
    static GenerationBoot Kernels(params string[] flavors) =>
        Boot(flavors.Select(f => new KernelInfo(f, "1")),
            [.. flavors.Select(KernelChoice.KernelFileName), .. flavors.Select(f => f.Length == 0 ? "initramfs" : "initramfs-" + f)]);

    [Fact]
    public void The_configured_flavor_wins_over_lts_when_the_generation_has_it()
    {
        var files = KernelChoice.ForTrial(new RefindSection { Flavor = "virt" }, Kernels("lts", "virt"))!;
        Assert.Equal(("vmlinuz-virt", "initramfs-virt"), (files.KernelFile, files.Initrd));
    }

    [Fact]
    public void Without_a_flavor_lts_virt_stable_and_edge_are_preferred_in_that_order()
    {
        Assert.Equal("virt", KernelChoice.ForTrial(new RefindSection(), Kernels("edge", "stable", "virt"))!.Kernel.Flavor);
        Assert.Equal("stable", KernelChoice.ForTrial(new RefindSection(), Kernels("edge", "stable"))!.Kernel.Flavor);
        Assert.Equal("edge", KernelChoice.ForTrial(new RefindSection(), Kernels("edge"))!.Kernel.Flavor);
    }

    [Fact]
    public void A_dash_flavor_names_the_bare_vmlinuz_and_its_initramfs()
    {
        var files = KernelChoice.ForTrial(new RefindSection { Flavor = "-" }, Kernels("", "lts"))!;
        Assert.Equal(("vmlinuz", "initramfs"), (files.KernelFile, files.Initrd));
    }

    [Fact]
    public void A_kernel_without_its_initramfs_has_no_initrd_and_a_generation_without_kernels_no_choice()
    {
        Assert.Null(KernelChoice.ForTrial(new RefindSection(), Boot([new KernelInfo("lts", "1")], "vmlinuz-lts", "initramfs-virt"))!.Initrd);
        Assert.Null(KernelChoice.ForTrial(new RefindSection(), Boot([])));
    }

    [Fact]
    public void The_trial_menu_entry_boots_what_the_choice_names()
    {
        var state = State([Gen(Ids[0], BootState.Good, "init", new KernelInfo("lts", "1")), Gen(Ids[1], BootState.Pending, "apk add x", new KernelInfo("virt", "1"))],
            [Ids[0]], pending: [Ids[1]]);
        var boot = Kernels("lts", "virt");
        var settings = new RefindSection { Flavor = "virt" };
        var entry = RefindMenuBuilder.BuildTrial(settings, Target, state, new Dictionary<string, GenerationBoot> { [Ids[0]] = boot, [Ids[1]] = boot })!;
        var files = KernelChoice.ForTrial(settings, boot)!;
        Assert.Equal((files.KernelFile, files.Initrd), (entry.Kernel, entry.Initrd));
    }
}
