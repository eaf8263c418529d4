using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;

namespace Apkgen.Generations.Tests;

/// <summary>The pure decision of "a reboot is needed", its line, and the file it makes.</summary>
public class RebootRequiredTests
{
    static Generation Gen(string id) =>
        new(id, new GenerationInfo { Id = id }, HasMetadata: true, HasRoot: true, ReadOnly: true);

    /// <summary>g1 older than g2 older than g3 (the store's order: oldest first).</summary>
    static LayoutState State(string?[] current, string? trial = null) =>
        new(new TopLevel("/top"), [Gen("g1"), Gen("g2"), Gen("g3")], new LinksGeneration("L1", current),
            trial is null ? null : new LinksGeneration("L2", [trial, .. current]), ["L1"], false);

    // Two records in apk's format: F: is a directory, the R: lines after it its files.
    const string BootedDb = """
        P:musl
        V:1.2.5-r0
        F:lib
        R:ld-musl-x86_64.so.1

        P:openssh-server
        V:9.7_p1-r4
        F:etc/init.d
        R:sshd
        F:usr/sbin
        R:sshd

        P:chrony
        V:4.5-r0
        F:etc/init.d
        R:chronyd

        P:linux-lts
        V:6.6.52-r0
        F:boot
        R:vmlinuz-lts

        """;

    const string NextDb = """
        P:musl
        V:1.2.5-r0
        F:lib
        R:ld-musl-x86_64.so.1

        P:openssh-server
        V:9.8_p1-r0
        F:etc/init.d
        R:sshd
        F:usr/sbin
        R:sshd

        P:nginx
        V:1.26.2-r0
        F:etc/init.d
        R:nginx
        F:etc/nginx
        R:nginx.conf

        P:linux-lts
        V:6.6.60-r0
        F:boot
        R:vmlinuz-lts

        """;

    static GenerationContents Booted => GenerationContents.Parse(BootedDb, [new("lts", "6.6.52-r0")]);
    static GenerationContents Next => GenerationContents.Parse(NextDb, [new("lts", "6.6.60-r0"), new("virt", "6.6.60-r0")]);

    [Fact]
    public void The_installed_database_names_the_files_each_package_owns_in_etc_init_d()
    {
        var scripts = InstalledFiles.In(NextDb, InstalledFiles.InitScriptsDir);
        Assert.Equal(["nginx", "openssh-server"], scripts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["sshd"], scripts["openssh-server"]);
        Assert.Equal(["nginx"], scripts["nginx"]);
    }

    [Fact]
    public void No_reboot_is_needed_when_slot_0_is_the_running_generation() =>
        Assert.Null(RebootRequired.Decide(State(["g2", "g1"]), "g2", Booted, Next, "6.6.52-0-lts", null));

    [Fact]
    public void A_change_in_slot_0_needs_a_reboot_and_says_what_it_changes()
    {
        var need = RebootRequired.Decide(State(["g3", "g2"]), "g2", Booted, Next, "6.6.52-0-lts", null);
        Assert.NotNull(need);
        Assert.Equal(("g2", "g3", false, false), (need.Booted, need.Next, need.Trial, need.Older));
        Assert.Equal(["nginx-1.26.2-r0"], need.Packages!.Added.Select(p => p.ToString()));
        Assert.Equal(["chrony-4.5-r0"], need.Packages.Removed.Select(p => p.ToString()));
        Assert.Equal(["linux-lts 6.6.52-r0 -> 6.6.60-r0", "openssh-server 9.7_p1-r4 -> 9.8_p1-r0"], need.Packages.Upgraded.Select(p => p.ToString()));
        // Added nginx, removed chrony, upgraded openssh-server; musl did not change.
        Assert.Equal(["chronyd", "nginx", "sshd"], need.Services);
        Assert.True(need.KernelChanges);
        Assert.Equal("lts 6.6.52-r0", RebootNeed.Describe(need.BootedKernel));
        Assert.Equal("lts 6.6.60-r0", RebootNeed.Describe(need.NextKernel));
        Assert.Equal(["chrony", "linux-lts", "nginx", "openssh-server"], need.PackageNames);
        Assert.Equal("reboot required: running g2, the next boot starts g3", need.Line());
    }

    [Fact]
    public void The_next_kernel_is_the_configured_flavour_and_the_running_one_is_known_by_its_release()
    {
        var need = RebootRequired.Decide(State(["g3", "g2"]), "g2", Booted, Next, "6.6.52-0-lts", "virt")!;
        Assert.Equal(new KernelInfo("virt", "6.6.60-r0"), need.NextKernel);
        Assert.Equal(new KernelInfo("lts", "6.6.52-r0"), need.BootedKernel);
        Assert.Equal("6.6.52-0-lts", need.RunningKernel);
    }

    [Fact]
    public void The_same_kernel_in_both_generations_is_no_kernel_change()
    {
        var same = GenerationContents.Parse("P:hello\nV:1.0-r0\n\n", [new("lts", "6.6.52-r0")]);
        var need = RebootRequired.Decide(State(["g3", "g2"]), "g2", Booted, same, "6.6.52-0-lts", null)!;
        Assert.False(need.KernelChanges);
        Assert.Empty(need.Packages!.Upgraded);
    }

    [Fact]
    public void A_rollback_to_an_older_generation_needs_a_reboot_and_says_it_is_older()
    {
        var need = RebootRequired.Decide(State(["g1", "g2"]), "g2", Booted, Next, null, null)!;
        Assert.True(need.Older);
        Assert.Equal("reboot required: running g2, the next boot starts g1 (older: a rollback)", need.Line());
    }

    [Fact]
    public void A_waiting_trial_is_what_the_next_boot_tries()
    {
        var need = RebootRequired.Decide(State(["g2", "g1"], trial: "g3"), "g2", Booted, Next, null, null)!;
        Assert.True(need.Trial);
        Assert.Equal("g3", need.Next);
        Assert.Equal("reboot required: running g2, the next boot tries g3 once (trial)", need.Line());
    }

    [Fact]
    public void A_trial_that_is_running_needs_no_reboot_before_it_is_confirmed() =>
        Assert.Null(RebootRequired.Decide(State(["g2", "g1"], trial: "g3"), "g3", Next, Next, null, null));

    [Fact]
    public void A_running_root_of_no_generation_needs_a_reboot_with_nothing_to_compare()
    {
        var need = RebootRequired.Decide(State(["g3", "g2"]), null, null, Next, null, null)!;
        Assert.Null(need.Packages);
        Assert.False(need.KernelChanges);
        Assert.Empty(need.PackageNames);
        Assert.Equal("reboot required: the running root is not a generation of this layout; the next boot starts g3", need.Line());
    }

    [Fact]
    public void A_broken_slot_0_asks_for_no_reboot_that_could_not_start_it() =>
        Assert.Null(RebootRequired.Decide(State([null, "g2"]), "g2", Booted, Next, null, null));

    [Fact]
    public void The_file_exists_exactly_while_a_reboot_is_needed_and_every_user_can_read_it()
    {
        var device = "/test/reboot-required-" + Guid.NewGuid().ToString("N");
        var path = RebootRequired.PathFor(device);
        Assert.Equal("/run/apkgen/reboot-required@%test%" + device[6..], path);
        var warnings = new List<string>();
        var need = RebootRequired.Decide(State(["g3", "g2"]), "g2", Booted, Next, null, null);
        try
        {
            RebootRequired.Apply(device, need, warnings.Add);
            Assert.Equal("reboot required: running g2, the next boot starts g3\n", File.ReadAllText(path));
            Assert.Equal("chrony\nlinux-lts\nnginx\nopenssh-server\n", File.ReadAllText(path + RebootRequired.PackagesSuffix));
            Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(path));
            Assert.Equal("reboot required: running g2, the next boot starts g3", RebootRequired.ReadLine(device));
            RebootRequired.Apply(device, null, warnings.Add);
            Assert.False(File.Exists(path));
            Assert.False(File.Exists(path + RebootRequired.PackagesSuffix));
            Assert.Null(RebootRequired.ReadLine(device));
            Assert.Empty(warnings);
        }
        finally
        {
            File.Delete(path);
            File.Delete(path + RebootRequired.PackagesSuffix);
        }
    }

    [Fact]
    public void The_booted_systems_file_is_the_one_debian_style_tools_and_the_login_notice_read() =>
        Assert.Equal("/run/apkgen/reboot-required", RebootRequired.PathFor(""));
}
