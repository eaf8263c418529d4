using System.Runtime.InteropServices;

namespace Apkgen.Core.Transactions;

/// <summary>
/// Whether a change's snapshot differs from its base by content, not by btrfs's counters.
/// apk rewrites lib/apk/db/{installed,scripts.tar,triggers} and etc/apk/world on every commit,
/// also when nothing changed (an empty <c>apk fix</c>), so "the tree's generation moved" is
/// always true for apk. Both trees are walked together: an entry that btrfs's snapshot left
/// alone keeps its inode number and ctime, so it is equal without reading it; any other is
/// compared by type, mode, owner, size and bytes (a link by its target, a device by its
/// number). Times are not content: apk gives a rewritten file a new mtime. Mounts inside the
/// snapshot (proc, dev, run, tmp, the commons, a bound resolv.conf) are not its content and
/// are skipped. The walk stops at the first difference.
/// </summary>
public static unsafe partial class TreeComparison
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lstat(string path, byte* buf);

    readonly record struct Entry(ulong Dev, ulong Ino, uint Mode, uint Uid, uint Gid, ulong Rdev, long Size, long CtimeSec, long CtimeNsec)
    {
        public uint Type => Mode & 0xF000;
    }

    const uint Directory = 0x4000, Regular = 0x8000, Symlink = 0xA000;

    /// <summary>
    /// The first path (relative) where <paramref name="changed"/> differs from <paramref name="original"/>,
    /// or null. <paramref name="expected"/> gives files whose reference content is not the
    /// original's (what apkgen itself wrote into the snapshot before the change, etc/fstab).
    /// </summary>
    public static string? FirstDifference(string original, string changed, IReadOnlyDictionary<string, byte[]>? expected = null)
    {
        var rootDev = Stat(changed)?.Dev ?? throw new IOException($"cannot stat {changed}");
        return Compare(original, changed, "", rootDev, expected ?? new Dictionary<string, byte[]>());
    }

    static string? Compare(string original, string changed, string relative, ulong rootDev, IReadOnlyDictionary<string, byte[]> expected)
    {
        var o = Path.Combine(original, relative);
        var c = relative.Length == 0 ? changed : Path.Combine(changed, relative);
        var n = Stat(c);
        if (n is { } mounted && mounted.Dev != rootDev) return null; // a mount inside the snapshot
        if (expected.TryGetValue(relative, out var bytes))
            return n is { Type: Regular } && File.ReadAllBytes(c).AsSpan().SequenceEqual(bytes) ? null : relative;
        var b = relative.Length == 0 ? Stat(original) : Stat(o);
        if (b is null || n is null) return b is null && n is null ? null : relative;
        var (before, after) = (b.Value, n.Value);
        if (before.Type != after.Type || before.Mode != after.Mode || before.Uid != after.Uid || before.Gid != after.Gid) return relative;
        switch (after.Type)
        {
            case Directory:
                var names = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var e in System.IO.Directory.EnumerateFileSystemEntries(o)) names.Add(Path.GetFileName(e));
                foreach (var e in System.IO.Directory.EnumerateFileSystemEntries(c))
                {
                    var name = Path.GetFileName(e);
                    // A mount point apkgen made for the change (run, tmp) is not the change's.
                    if (!names.Contains(name) && Stat(e) is { } m && m.Dev != rootDev) continue;
                    names.Add(name);
                }
                foreach (var name in names)
                    if (Compare(original, changed, Path.Combine(relative, name), rootDev, expected) is { } d) return d;
                return null;
            case Regular:
                if (before.Ino == after.Ino && before.CtimeSec == after.CtimeSec && before.CtimeNsec == after.CtimeNsec && before.Size == after.Size) return null;
                return before.Size != after.Size || !SameBytes(o, c) ? relative : null;
            case Symlink:
                return new FileInfo(o).LinkTarget == new FileInfo(c).LinkTarget ? null : relative;
            default:
                return before.Rdev == after.Rdev ? null : relative;
        }
    }

    static bool SameBytes(string a, string b)
    {
        using var fa = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        using var fb = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var ba = new byte[65536];
        var bb = new byte[65536];
        while (true)
        {
            var na = fa.ReadAtLeast(ba, ba.Length, throwOnEndOfStream: false);
            var nb = fb.ReadAtLeast(bb, bb.Length, throwOnEndOfStream: false);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb))) return false;
            if (na < ba.Length) return true;
        }
    }

    static Entry? Stat(string path)
    {
        var buf = stackalloc byte[256];
        if (lstat(path, buf) != 0) return null;
        // struct stat: x86_64 (st_nlink is 8 bytes before st_mode) and the generic layout of
        // aarch64 and others (st_mode, then a 4-byte st_nlink). st_dev, st_ino, st_size and
        // st_ctim are at the same offsets in both.
        var x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        return new Entry(
            Dev: *(ulong*)buf,
            Ino: *(ulong*)(buf + 8),
            Mode: *(uint*)(buf + (x64 ? 24 : 16)),
            Uid: *(uint*)(buf + (x64 ? 28 : 24)),
            Gid: *(uint*)(buf + (x64 ? 32 : 28)),
            Rdev: *(ulong*)(buf + (x64 ? 40 : 32)),
            Size: *(long*)(buf + 48),
            CtimeSec: *(long*)(buf + 104),
            CtimeNsec: *(long*)(buf + 112));
    }
}
