using Apkgen.Core.Edge;
using Apkgen.Core.Linux;

namespace Apkgen.Generations.Tests;

/// <summary>
/// The confined resolver on plain directories: a tree with links out of it (absolute and
/// <c>..</c>) next to a "host" directory that must stay untouched.
/// </summary>
public sealed class ConfinedRootTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-confined-").FullName;
    string Root => Path.Combine(_dir, "root");
    string Host => Path.Combine(_dir, "host");

    public ConfinedRootTests()
    {
        Directory.CreateDirectory(Path.Combine(Root, "etc"));
        Directory.CreateDirectory(Path.Combine(Host, "etc"));
        File.WriteAllText(Path.Combine(Host, "etc/shadow"), "P:host-secret\nV:1\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    ConfinedRoot Files => new(Root);

    void Link(string relative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, relative))!);
        File.CreateSymbolicLink(Path.Combine(Root, relative), target);
    }

    [Fact]
    public void An_absolute_link_to_a_host_file_is_read_inside_the_root_not_on_the_host()
    {
        Link("lib/apk/db/installed", Path.Combine(Host, "etc/shadow"));
        Assert.Null(Files.ReadText("lib/apk/db/installed"));
        Directory.CreateDirectory(Path.Combine(Root, Host.TrimStart('/'), "etc"));
        File.WriteAllText(Path.Combine(Root, Host.TrimStart('/'), "etc/shadow"), "inside\n");
        Assert.Equal("inside\n", Files.ReadText("lib/apk/db/installed"));
    }

    [Fact]
    public void A_dot_dot_link_stops_at_the_root()
    {
        Link("etc/world", "../../../../../../../../etc/hostname");
        File.WriteAllText(Path.Combine(Root, "etc/hostname"), "in-root\n");
        Assert.Equal("in-root\n", Files.ReadText("etc/world"));
        Assert.Equal("etc/hostname", Files.Resolve("etc/world"));
    }

    [Fact]
    public void A_write_through_a_dangling_link_lands_where_the_root_would_put_it()
    {
        Directory.CreateDirectory(Path.Combine(Root, "tmp"));
        Link("etc/resolv.conf", "/tmp/resolv.conf");
        Files.WriteTextAtomically("etc/resolv.conf", "nameserver 192.0.2.1\n");
        Assert.Equal("nameserver 192.0.2.1\n", File.ReadAllText(Path.Combine(Root, "tmp/resolv.conf")));
        Assert.Equal("/tmp/resolv.conf", new FileInfo(Path.Combine(Root, "etc/resolv.conf")).LinkTarget);
    }

    [Fact]
    public void Replacing_a_link_writes_a_file_in_its_place_and_leaves_the_host_file_alone()
    {
        Link("etc/fstab", Path.Combine(Host, "etc/shadow"));
        Files.WriteTextAtomically("etc/fstab", "fstab\n", replaceSymlink: true);
        Assert.Null(new FileInfo(Path.Combine(Root, "etc/fstab")).LinkTarget);
        Assert.Equal("fstab\n", File.ReadAllText(Path.Combine(Root, "etc/fstab")));
        Assert.Equal("P:host-secret\nV:1\n", File.ReadAllText(Path.Combine(Host, "etc/shadow")));
    }

    [Fact]
    public void A_directory_is_never_created_through_a_link_that_leads_nowhere_inside()
    {
        Link("run", Path.Combine(Host, "run"));
        var e = Assert.Throws<UnresolvedInSnapshotException>(() => Files.CreateDirectory("run"));
        Assert.Contains("leads nowhere inside the snapshot", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Host, "run")));
        Assert.Throws<UnresolvedInSnapshotException>(() => Files.OpenForMount("run", file: false));
    }

    [Fact]
    public void A_link_that_loops_inside_the_root_is_no_file_and_no_mount_point()
    {
        Link("tmp", "/tmp/x"); // inside the root, /tmp/x needs tmp again
        Assert.Null(Files.ReadText("tmp/x/installed"));
        Assert.False(Files.DirectoryExists("tmp"));
        Assert.Throws<UnresolvedInSnapshotException>(() => Files.OpenForMount("tmp", file: false));
    }

    [Fact]
    public void A_mount_target_is_the_place_inside_the_root_held_open()
    {
        Directory.CreateDirectory(Path.Combine(Root, "srv/run"));
        Link("run", "/srv/run");
        using var target = Files.OpenForMount("run", file: false);
        Assert.Equal("srv/run", target.RelativePath);
        Assert.Equal(Path.Combine(Root, "srv/run"), target.RealPath);
        Assert.StartsWith("/proc/self/fd/", target.Path);
        Assert.Equal(Path.Combine(Root, "srv/run"), new DirectoryInfo(target.Path).LinkTarget);
    }

    [Fact]
    public void A_fifo_is_refused_as_not_a_regular_file_without_waiting_for_a_writer()
    {
        Directory.CreateDirectory(Path.Combine(Root, "lib/apk/db"));
        Assert.Equal(0, Apkgen.TestSupport.Sh.Try("mkfifo", Path.Combine(Root, "lib/apk/db/installed")).Code);
        Assert.Throws<UnresolvedInSnapshotException>(() => Files.ReadText("lib/apk/db/installed"));
    }

    [Fact]
    public void The_host_resolution_of_a_link_out_of_the_root_is_reported_and_one_inside_is_not()
    {
        Link("lib/apk/db", Path.Combine(Host, "etc"));
        Link("etc/apk", "../srv/apk");
        Assert.Equal(Path.Combine(Host, "etc"), Files.HostResolutionOutside("lib/apk/db/installed"));
        Assert.Null(Files.HostResolutionOutside("etc/apk/world"));
        Link("var", "../host");
        Assert.Equal(Host, Files.HostResolutionOutside("var/cache/apk"));
    }

    [Fact]
    public void Kernels_are_discovered_from_the_roots_own_boot_not_from_a_linked_host_boot()
    {
        Directory.CreateDirectory(Path.Combine(Host, "boot"));
        File.WriteAllText(Path.Combine(Host, "boot/vmlinuz-evil"), "");
        Link("boot", Path.Combine(Host, "boot"));
        Assert.Empty(SnapshotContents.DiscoverKernels(Root, new Dictionary<string, string>()));
    }

    /// <summary>
    /// openat2(2) with RESOLVE_IN_ROOT answers EAGAIN when a <c>..</c> is walked while any rename
    /// or mount happens anywhere in the system: it cannot prove the walk stayed inside. A busy
    /// system (apk renaming files, another snapshot mounted) makes that happen; seen in a CI run
    /// as "apkgen-refind --check: ... Resource temporarily unavailable", an internal error 70.
    /// Renames run here a few microseconds apart while a path of 300 <c>..</c> steps is read
    /// 20000 times: every read must succeed (the resolver retries, as the man page says the
    /// caller may; without the retry this test fails at once).
    /// </summary>
    [Fact]
    public async Task A_read_through_dot_dot_links_succeeds_while_renames_happen_elsewhere()
    {
        File.WriteAllText(Path.Combine(Root, "etc/target"), "inside\n");
        Link("a/b/c/d/up", "../../../../etc");
        // Many ".." steps: each is a moment the kernel checks for a rename since the walk began.
        var dotdot = "a/b/c/d/up/" + string.Concat(Enumerable.Repeat("../etc/", 300)) + "target";
        var churn = Path.Combine(_dir, "churn");
        Directory.CreateDirectory(churn);
        File.WriteAllText(Path.Combine(churn, "x"), "");
        using var stop = new CancellationTokenSource();
        var renamer = Task.Run(() =>
        {
            var (from, to) = (Path.Combine(churn, "x"), Path.Combine(churn, "y"));
            while (!stop.IsCancellationRequested)
            {
                File.Move(from, to);
                (from, to) = (to, from);
                Thread.SpinWait(20_000); // a busy system, not a storm with no moment between renames
            }
        });
        try
        {
            for (var i = 0; i < 20000; i++)
                Assert.Equal("inside\n", Files.ReadText(dotdot));
        }
        finally
        {
            stop.Cancel();
            await renamer;
        }
    }
}
