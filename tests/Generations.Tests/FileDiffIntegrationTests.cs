using Apkgen.Core.Files;
using Apkgen.Core.Linux;
using Apkgen.TestSupport;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Generations.Tests;

/// <summary><c>apkgen diff --files</c> on real loop-mounted btrfs: the tree search ioctl, the confined walk, and the command.</summary>
public class FileDiffIntegrationTests
{
    static string Render(IReadOnlyList<FileChange> changes) => string.Join("\n", changes.Select(c => $"{c.Letter} {RawNames.Printable("/" + c.Path)}"));

    static void Bash(string script, params string[] args) => Sh.Run("bash", ["-euc", script, "bash", .. args]);

    /// <summary>A read-only subvolume A, a snapshot B of it changed in every way a change can, then read-only too.</summary>
    static (string A, string B) SnapshotPair(string top)
    {
        var a = Path.Combine(top, "A");
        var b = Path.Combine(top, "B");
        Sh.Run("btrfs", "subvolume", "create", a);
        Bash("""
            cd "$1"
            mkdir -p etc usr/lib/old usr/share/doc proc tmp run
            echo welcome > etc/motd; echo Alpine > etc/issue; echo a > etc/hostname; echo same > etc/rewritten
            echo keep > etc/keep; echo x > usr/lib/old/x.so; echo y > usr/lib/old/y.so; ln -s libz.so.1 usr/lib/libz.so
            echo doc > usr/share/doc/README; echo moved > etc/to-move; echo linked > etc/linked
            for i in $(seq 1 300); do echo "$i" > usr/share/doc/file$i; done
            """, a);
        Sh.Run("btrfs", "property", "set", "-ts", a, "ro", "true");
        Sh.Run("btrfs", "subvolume", "snapshot", a, b);
        Bash("""
            cd "$1"
            echo x > etc/motd
            rm etc/issue
            echo same > etc/rewritten.new && mv etc/rewritten.new etc/rewritten
            chmod 600 etc/hostname
            rm -r usr/lib/old
            ln -sf libz.so.2 usr/lib/libz.so
            mkdir -p usr/share/hello && echo hi > usr/share/hello/hello.txt
            mv etc/to-move usr/share/moved
            ln etc/linked usr/share/linked-too
            echo 7 >> usr/share/doc/file150
            touch "etc/$(printf 'new\nline')" "etc/$(printf 'esc\033[31m')" "etc/$(printf 'bad\377name')"
            echo t > tmp/scratch; echo 1 > run/pid
            """, b);
        Sh.Run("btrfs", "property", "set", "-ts", b, "ro", "true");
        return (a, b);
    }

    const string Expected = """
        A /etc/bad\xffname
        A /etc/esc\x1b[31m
        M /etc/hostname
        D /etc/issue
        M /etc/motd
        A /etc/new\x0aline
        D /etc/to-move
        M /usr/lib/libz.so
        D /usr/lib/old
        D /usr/lib/old/x.so
        D /usr/lib/old/y.so
        M /usr/share/doc/file150
        A /usr/share/hello
        A /usr/share/hello/hello.txt
        A /usr/share/linked-too
        A /usr/share/moved
        """;

    [Fact]
    public void On_a_snapshot_and_its_parent_btrfs_names_the_changes_and_the_walk_finds_the_same()
    {
        using var disk = LoopBtrfs.Create(256);
        var top = disk.MountTop();
        var (a, b) = SnapshotPair(top);
        using var ta = new ConfinedTree(a);
        using var tb = new ConfinedTree(b);
        var btrfs = new LinuxBtrfsChanges();
        // The candidates are few: what the change wrote, not the 300 files it left alone.
        var candidates = btrfs.ChangedSince(b, btrfs.Info(b).CreatedTransid);
        Assert.True(candidates.Count < 30, string.Join("\n", candidates.Select(RawNames.Printable)));
        Assert.Contains("usr/share/linked-too", candidates);
        Assert.Contains("etc/linked", candidates); // the other name of the same inode

        var fast = FileDiffer.Compare(btrfs, a, b, ta, tb, walk: false);
        Assert.Equal(FileDiffMethod.ChildOfFirst, fast.Method);
        Assert.Equal(Expected, Render(fast.Changes));
        var walked = FileDiffer.Compare(btrfs, a, b, ta, tb, walk: true);
        Assert.Equal(FileDiffMethod.Walk, walked.Method);
        Assert.Equal(Expected, Render(walked.Changes));

        var back = FileDiffer.Compare(btrfs, b, a, tb, ta, walk: false);
        Assert.Equal(FileDiffMethod.ParentOfFirst, back.Method);
        Assert.Equal(Render(FileDiffPlanner.Reverse(fast.Changes)), Render(back.Changes));
        Assert.Equal(Render(FileDiffer.Compare(btrfs, b, a, tb, ta, walk: true).Changes), Render(back.Changes));
    }

    [Fact]
    public void Diff_of_a_generation_and_its_grandparent_follows_the_snapshot_chain_and_walks_without_it()
    {
        using var disk = LoopBtrfs.Create(256);
        var top = disk.MountTop();
        var (a, b) = SnapshotPair(top);
        var c = Path.Combine(top, "C");
        Sh.Run("btrfs", "subvolume", "snapshot", b, c);
        using var ta = new ConfinedTree(a);
        using var tc = new ConfinedTree(c);
        Bash("""
            cd "$1"
            btrfs property set -ts . ro false
            echo again > etc/motd; rm etc/hostname; echo new > etc/issue
            btrfs property set -ts . ro true
            """, c);
        var expected = Expected.Replace("M /etc/hostname", "D /etc/hostname").Replace("D /etc/issue", "M /etc/issue");
        var btrfs = new LinuxBtrfsChanges();
        var chained = FileDiffer.Compare(btrfs, a, c, ta, tc, walk: false, otherRootPaths: [b]);
        Assert.Equal(FileDiffMethod.ChildOfFirst, chained.Method);
        Assert.Equal(expected, Render(chained.Changes));
        var back = FileDiffer.Compare(btrfs, c, a, tc, ta, walk: false, otherRootPaths: [b]);
        Assert.Equal(FileDiffMethod.ParentOfFirst, back.Method);
        Assert.Equal(Render(FileDiffPlanner.Reverse(chained.Changes)), Render(back.Changes));
        var diff = FileDiffer.Compare(btrfs, a, c, ta, tc, walk: false);
        Assert.Equal(FileDiffMethod.Walk, diff.Method);
        Assert.Equal("neither generation is a snapshot of the other", diff.WalkReason);
        Assert.Equal(expected, Render(diff.Changes));
    }

    [Fact]
    public void A_parent_written_after_its_snapshot_was_taken_is_walked_not_trusted()
    {
        using var disk = LoopBtrfs.Create(256);
        var top = disk.MountTop();
        var a = Path.Combine(top, "A");
        var b = Path.Combine(top, "B");
        Sh.Run("btrfs", "subvolume", "create", a);
        File.WriteAllText(Path.Combine(a, "f"), "one");
        Sh.Run("btrfs", "subvolume", "snapshot", a, b);
        Sh.Run("sync");
        File.WriteAllText(Path.Combine(a, "g"), "written into the parent later");
        Sh.Run("sync");
        using var ta = new ConfinedTree(a);
        using var tb = new ConfinedTree(b);
        var diff = FileDiffer.Compare(new LinuxBtrfsChanges(), a, b, ta, tb, walk: false);
        Assert.Equal(FileDiffMethod.Walk, diff.Method);
        Assert.Equal("D /g", Render(diff.Changes));
    }

    [Fact]
    public void Diff_files_prints_hostile_names_escaped_in_text_and_json()
    {
        using var disk = LoopBtrfs.Create();
        var top = disk.MountTop();
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(top, "@"));
        RootTree.Populate(Path.Combine(top, "@"));
        var (code, output) = RunApkgen("--device", disk.Device, "init", "--adopt", "@");
        Assert.True(code == 0, output);
        (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c", "echo welcome > /etc/motd; echo Alpine > /etc/issue");
        Assert.True(code == 0, output);
        (code, output) = RunApkgen("--device", disk.Device, "exec", "--", "/bin/sh", "-c",
            """touch "/etc/$(printf 'new\nline')" "/etc/$(printf 'esc\033[31m')" "/etc/$(printf 'bad\377name')"; echo x > /etc/motd; rm /etc/issue""");
        Assert.True(code == 0, output);
        var from = new FileInfo(Path.Combine(top, "current", "1")).LinkTarget!.Split('/')[^1];
        var to = new FileInfo(Path.Combine(top, "current", "0")).LinkTarget!.Split('/')[^1];

        var (tcode, text) = RunApkgen("--device", disk.Device, "diff", "--files");
        Assert.True(tcode == 0, text);
        Assert.Equal($"""
            --- {from}
            +++ {to}
            A /etc/bad\xffname
            A /etc/esc\x1b[31m
            M /etc/fstab
            D /etc/issue
            M /etc/motd
            A /etc/new\x0aline

            """, text);

        var (jcode, json) = RunApkgen("--device", disk.Device, "diff", "--files", "--json", "1", "0");
        Assert.True(jcode == 0, json);
        Assert.Equal($$"""
            {
              "from": "{{from}}",
              "to": "{{to}}",
              "method": "btrfs",
              "added": [
                "/etc/bad\udcffname",
                "/etc/esc\u001b[31m",
                "/etc/new\nline"
              ],
              "removed": [
                "/etc/issue"
              ],
              "changed": [
                "/etc/fstab",
                "/etc/motd"
              ]
            }

            """, json);

        // Slot 2 (the adopted root) to slot 0: two changes away, through slot 1's snapshot.
        var (ccode, chain) = RunApkgen("--device", disk.Device, "diff", "--files", "--json", "2", "0");
        Assert.True(ccode == 0, chain);
        Assert.Contains("\"method\": \"btrfs\"", chain);
        Assert.Contains("\"/etc/motd\"", chain);
        Assert.DoesNotContain("\"/etc/issue\"", chain);
        var (wcode, walked) = RunApkgen("--device", disk.Device, "diff", "--files", "--walk");
        Assert.True(wcode == 0, walked);
        Assert.Equal(text, walked);
        var (ucode, usage) = RunApkgen("--device", disk.Device, "diff", "--json");
        Assert.Equal(64, ucode);
        Assert.Contains("--files", usage);
    }
}
