using System.Text;
using Apkgen.Core.Edge;
using Apkgen.Core.Files;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Apkgen.Generations.Tests;

/// <summary>The pure comparison of <c>apkgen diff --files</c>, on trees held in memory.</summary>
public class FileDiffPlannerTests
{
    /// <summary>A tree in memory: path -> entry (and bytes for files). Reading a file it was told must not be read fails the test.</summary>
    sealed class MemoryTree : ISnapshotTree
    {
        readonly SortedDictionary<string, (FileEntry Entry, byte[] Bytes)> _entries = new(StringComparer.Ordinal);
        public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);
        ulong _nextIno = 300;

        public MemoryTree() => _entries[""] = (Dir(), []);

        static FileEntry Dir(uint perm = 0x1ED) => new(FileEntry.Directory, perm, 0, 0, 0, 256, 1, 0, null);

        public MemoryTree Directory(string path, uint perm = 0x1ED) { _entries[path] = (Dir(perm) with { Ino = _nextIno++ }, []); return this; }

        public MemoryTree File(string path, string text, uint perm = 0x1A4, ulong? ino = null, long ctime = 1)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            _entries[path] = (new FileEntry(FileEntry.Regular, perm, 0, 0, bytes.Length, ino ?? _nextIno++, ctime, 0, null), bytes);
            return this;
        }

        public MemoryTree Link(string path, string target) { _entries[path] = (new FileEntry(FileEntry.Symlink, 0x1FF, 0, 0, target.Length, _nextIno++, 1, 0, target), []); return this; }

        public MemoryTree Copy()
        {
            var copy = new MemoryTree();
            foreach (var (k, v) in _entries) copy._entries[k] = v;
            copy._nextIno = _nextIno + 1000;
            return copy;
        }

        public MemoryTree Remove(string path)
        {
            foreach (var k in _entries.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList()) _entries.Remove(k);
            return this;
        }

        public FileEntry? Entry(string relative) => _entries.TryGetValue(relative, out var e) ? e.Entry : null;

        public IReadOnlyList<(string Name, FileEntry Entry)> List(string relative)
        {
            if (Entry(relative) is not { IsDirectory: true }) return [];
            var prefix = relative.Length == 0 ? "" : relative + "/";
            return _entries.Where(kv => kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && !kv.Key[prefix.Length..].Contains('/'))
                .Select(kv => (kv.Key[prefix.Length..], kv.Value.Entry)).ToList();
        }

        public Stream OpenRead(string relative)
        {
            Assert.False(Unreadable.Contains(relative), $"{relative} was read, though its inode, ctime and size say it is the snapshot's own");
            return new MemoryStream(_entries[relative].Bytes);
        }

        public void Dispose() { }
    }

    static string Render(IReadOnlyList<FileChange> changes) => string.Join("\n", changes.Select(c => $"{c.Letter} /{c.Path}"));

    static MemoryTree Base() => new MemoryTree()
        .Directory("etc").File("etc/motd", "welcome\n", ino: 10).File("etc/issue", "Alpine\n", ino: 11).File("etc/hostname", "a\n", ino: 12)
        .Directory("usr").Directory("usr/lib").Directory("usr/lib/old").File("usr/lib/old/x.so", "x", ino: 13).Link("usr/lib/libz.so", "libz.so.1")
        .Directory("tmp").Directory("run").Directory("proc");

    [Fact]
    public void A_walk_lists_added_removed_and_changed_paths_and_what_a_gone_directory_held()
    {
        var a = Base();
        var b = a.Copy()
            .File("etc/motd", "x\n", ino: 10, ctime: 2)
            .Remove("etc/issue")
            .Remove("usr/lib/old")
            .Directory("usr/share").File("usr/share/hello", "hi")
            .Link("usr/lib/libz.so", "libz.so.2")
            .File("tmp/scratch", "t").File("run/pid", "1");
        Assert.Equal("""
            D /etc/issue
            M /etc/motd
            M /usr/lib/libz.so
            D /usr/lib/old
            D /usr/lib/old/x.so
            A /usr/share
            A /usr/share/hello
            """, Render(FileDiffPlanner.Walk(a, b)));
    }

    [Fact]
    public void Times_are_not_content_so_a_file_rewritten_with_the_same_bytes_is_unchanged()
    {
        var a = Base();
        var b = a.Copy().File("etc/hostname", "a\n", ino: 99, ctime: 5);
        Assert.Empty(FileDiffPlanner.Walk(a, b));
    }

    [Fact]
    public void A_file_with_the_snapshots_inode_ctime_and_size_is_equal_without_being_read()
    {
        var a = Base();
        var b = a.Copy();
        a.Unreadable.UnionWith(["etc/motd", "etc/issue", "etc/hostname", "usr/lib/old/x.so"]);
        b.Unreadable.UnionWith(["etc/motd", "etc/issue", "etc/hostname", "usr/lib/old/x.so"]);
        Assert.Empty(FileDiffPlanner.Walk(a, b));
    }

    [Fact]
    public void A_changed_mode_is_a_change_and_a_directory_replaced_by_a_file_removes_what_it_held()
    {
        var a = Base();
        var b = a.Copy().File("etc/hostname", "a\n", perm: 0x180, ino: 12, ctime: 3).Remove("usr/lib/old").File("usr/lib/old", "now a file");
        Assert.Equal("""
            M /etc/hostname
            M /usr/lib/old
            D /usr/lib/old/x.so
            """, Render(FileDiffPlanner.Walk(a, b)));
    }

    [Fact]
    public void The_content_of_proc_sys_dev_run_and_tmp_is_never_compared()
    {
        var a = Base();
        var b = a.Copy().Directory("dev").File("dev/null", "").File("proc/1", "").Directory("sys").Directory("sys/x").File("tmp/t", "");
        Assert.Equal("A /dev\nA /sys", Render(FileDiffPlanner.Walk(a, b)));
        Assert.True(FileDiffPlanner.Excluded("proc/self"));
        Assert.False(FileDiffPlanner.Excluded("proc"));
        Assert.False(FileDiffPlanner.Excluded("etc/proc/x"));
    }

    [Fact]
    public void Candidates_from_btrfs_find_a_removed_name_in_its_changed_directory_and_agree_with_the_walk()
    {
        var a = Base();
        var b = a.Copy()
            .File("etc/motd", "x\n", ino: 10, ctime: 2)
            .Remove("etc/issue").Directory("etc")
            .Remove("usr/lib/old").Directory("usr/lib")
            .Directory("usr/share").File("usr/share/hello", "hi");
        // What btrfs names: the inodes written since the snapshot (the new ones, the changed
        // file, the directories whose entries changed), not the removed ones.
        string[] candidates = ["etc", "etc/motd", "usr/lib", "usr/share", "usr/share/hello"];
        var fast = FileDiffPlanner.FromCandidates(a, b, candidates);
        Assert.Equal("""
            D /etc/issue
            M /etc/motd
            D /usr/lib/old
            D /usr/lib/old/x.so
            A /usr/share
            A /usr/share/hello
            """, Render(fast));
        Assert.Equal(Render(FileDiffPlanner.Walk(a, b)), Render(fast));
    }

    [Fact]
    public void Read_from_the_child_the_changes_of_a_parent_swap_added_and_removed()
    {
        var changes = new[] { new FileChange(FileChangeKind.Added, "a"), new FileChange(FileChangeKind.Removed, "d"), new FileChange(FileChangeKind.Changed, "m") };
        Assert.Equal("D /a\nA /d\nM /m", Render(FileDiffPlanner.Reverse(changes)));
    }

    static readonly Guid P = Guid.Parse("cd49bfe1-b753-6142-9987-f94ee1e77684"), C = Guid.Parse("dc21d5ef-b4b4-524e-bf7f-89e4e5f90161");

    [Fact]
    public void Btrfs_names_the_candidates_only_for_a_snapshot_and_its_parent_unchanged_since()
    {
        // The figures of `btrfs subvolume show` after snapshotting: the parent's generation
        // becomes the snapshot's creation transaction (9 and 9).
        var parent = new SubvolumeInfo(P, Guid.Empty, Generation: 9, CreatedTransid: 7, ReadOnly: true);
        var child = new SubvolumeInfo(C, P, Generation: 10, CreatedTransid: 9, ReadOnly: true);
        Assert.Equal(FileDiffMethod.ChildOfFirst, FileDiffPlanner.Choose(parent, child).Method);
        Assert.Equal(FileDiffMethod.ParentOfFirst, FileDiffPlanner.Choose(child, parent).Method);
        var (method, reason) = FileDiffPlanner.Choose(parent with { Generation = 12 }, child);
        Assert.Equal(FileDiffMethod.Walk, method);
        Assert.Equal("the first generation changed after the second was snapshotted from it", reason);
        Assert.Equal((FileDiffMethod.Walk, "neither generation is a snapshot of the other"),
            FileDiffPlanner.Choose(parent, child with { ParentUuid = Guid.NewGuid() }));
        Assert.Equal(FileDiffMethod.Walk, FileDiffPlanner.Choose(parent, parent).Method);
    }

    [Fact]
    public void A_chain_of_snapshots_each_unchanged_after_its_child_lets_btrfs_name_the_candidates_of_every_link()
    {
        var g0 = new SubvolumeInfo(P, Guid.Empty, Generation: 9, CreatedTransid: 7, ReadOnly: true);
        var g1 = new SubvolumeInfo(C, P, Generation: 12, CreatedTransid: 9, ReadOnly: true);
        var g2 = new SubvolumeInfo(Guid.NewGuid(), C, Generation: 14, CreatedTransid: 12, ReadOnly: true);
        var (method, links, _) = FileDiffPlanner.Plan(g0, g2, [g1]);
        Assert.Equal(FileDiffMethod.ChildOfFirst, method);
        Assert.Equal([g1, g2], links);
        Assert.Equal((FileDiffMethod.ParentOfFirst, 2), (FileDiffPlanner.Plan(g2, g0, [g1]).Method, FileDiffPlanner.Plan(g2, g0, [g1]).Links.Count));
        Assert.Equal(FileDiffMethod.Walk, FileDiffPlanner.Plan(g0, g2, []).Method);
        var (broken, _, reason) = FileDiffPlanner.Plan(g0, g2, [g1 with { Generation = 13 }]);
        Assert.Equal(FileDiffMethod.Walk, broken);
        Assert.Equal("a generation between them changed after its snapshot was taken", reason);
    }

    [Fact]
    public void A_refused_tree_search_falls_back_to_the_walk_and_says_why()
    {
        var a = Base();
        var b = a.Copy().File("etc/motd", "x\n", ino: 10, ctime: 2);
        var btrfs = Substitute.For<IBtrfsChanges>();
        btrfs.Info("/a").Returns(new SubvolumeInfo(P, Guid.Empty, 9, 7, true));
        btrfs.Info("/b").Returns(new SubvolumeInfo(C, P, 10, 9, true));
        btrfs.ChangedSince("/b", 9).Throws(new IOException("tree search /b: Operation not permitted"));
        var diff = FileDiffer.Compare(btrfs, "/a", "/b", a, b, walk: false);
        Assert.Equal(FileDiffMethod.Walk, diff.Method);
        Assert.Equal("btrfs refused the tree search: tree search /b: Operation not permitted", diff.WalkReason);
        Assert.Equal("M /etc/motd", Render(diff.Changes));
    }

    [Fact]
    public void With_a_snapshot_and_its_parent_only_btrfs_candidates_are_compared()
    {
        var a = Base();
        var b = a.Copy().File("etc/motd", "x\n", ino: 10, ctime: 2).File("etc/hostname", "b\n", ino: 12, ctime: 2);
        var btrfs = Substitute.For<IBtrfsChanges>();
        btrfs.Info("/a").Returns(new SubvolumeInfo(P, Guid.Empty, 9, 7, true));
        btrfs.Info("/b").Returns(new SubvolumeInfo(C, P, 10, 9, true));
        // btrfs names only the motd: the hostname (changed in this fake, not in btrfs's record) is not looked at.
        btrfs.ChangedSince("/b", 9).Returns(["etc/motd"]);
        var diff = FileDiffer.Compare(btrfs, "/a", "/b", a, b, walk: false);
        Assert.Equal(FileDiffMethod.ChildOfFirst, diff.Method);
        Assert.Equal("M /etc/motd", Render(diff.Changes));
        Assert.Equal("M /etc/hostname\nM /etc/motd", Render(FileDiffer.Compare(btrfs, "/a", "/b", a, b, walk: true).Changes));
    }

    [Fact]
    public void A_name_that_is_not_utf8_survives_the_round_trip_and_prints_as_hex_escapes()
    {
        byte[] raw = [(byte)'a', 0xff, (byte)'\n', 0x1b, (byte)'\\', 0xc3, 0xa9];
        var name = RawNames.Decode(raw);
        Assert.Equal(raw, RawNames.Encode(name));
        Assert.Equal(@"a\xff\x0a\x1b\\é", RawNames.Printable(name));
        Assert.NotEqual(RawNames.Decode([0xfe]), RawNames.Decode([0xff]));
    }
}
