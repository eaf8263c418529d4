using System.Globalization;
using Apkgen.Generations.Linux;
using Apkgen.Generations.Model;

namespace Apkgen.Generations.Layout;

/// <summary>
/// Finds the snapshot a running change is building, for the readers that do not take the
/// lock (list, status): without this they would show it as broken and say gc deletes it.
/// <para>
/// A change holds <c>TOP/.apkgen.lock</c> with an exclusive flock from before its snapshot
/// exists until after it is committed or deleted, and makes exactly one snapshot. So: when a
/// process holds that lock (found in <c>/proc/locks</c> and confirmed by one of its open
/// files being this very lock file, since /proc/locks shows only an inode number and the
/// superblock's device, which every btrfs subvolume shares), the newest generation without
/// generation.ini whose <c>@</c> is a writable subvolume and whose id (the UTC second it was
/// made, apkgen's own id form) is not older than that process is the one being built.
/// Leftovers of crashed runs are older than the process holding the lock now, so they stay
/// "broken". The reader never takes the lock itself, even shared: a shared lock held for an
/// instant would make a concurrent <c>--wait 0</c> change fail.
/// </para>
/// </summary>
public static class ChangeInProgress
{
    /// <summary>What is being built, and by which process.</summary>
    public sealed record Building(string GenerationId, int Pid);

    /// <summary>The generation a running change is building in this layout, or null.</summary>
    public static Building? Find(LayoutState state)
    {
        var candidates = state.Generations
            .Where(g => !g.HasMetadata && g.HasRoot && !g.RootIsPlainDirectory && !g.ReadOnly && GenerationId.CreatedAt(g.Id) is not null)
            .ToList();
        if (candidates.Count == 0) return null;
        if (LockHolder(state.Top.LockFilePath) is not { } holder) return null;
        // Both times are whole seconds at best (the id's second, /proc/stat's btime): allow
        // two seconds so a change that snapshots within its first second still counts.
        var building = candidates
            .Where(g => holder.Started is not { } started || GenerationId.CreatedAt(g.Id)!.Value >= started.AddSeconds(-2))
            .OrderBy(g => g.Id, StringComparer.Ordinal)
            .LastOrDefault();
        return building is null ? null : new Building(building.Id, holder.Pid);
    }

    sealed record Holder(int Pid, DateTime? Started);

    /// <summary>The process holding an exclusive flock on the file, or null when none does.</summary>
    static Holder? LockHolder(string lockFilePath)
    {
        if (Identity(lockFilePath, followMagicLink: false) is not { } lockFile) return null;
        string locks;
        try { locks = File.ReadAllText("/proc/locks"); }
        catch (IOException) { return null; }
        foreach (var line in locks.Split('\n'))
        {
            // "1: FLOCK  ADVISORY  WRITE 16056 00:3b:257 0 EOF"; waiters are "1: -> FLOCK ...".
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[1] != "FLOCK" || f[3] != "WRITE") continue;
            var devIno = f[5].Split(':');
            if (devIno.Length != 3 || !ulong.TryParse(devIno[2], CultureInfo.InvariantCulture, out var ino) || ino != lockFile.Ino) continue;
            if (!int.TryParse(f[4], CultureInfo.InvariantCulture, out var pid) || !HoldsOpen(pid, lockFile)) continue;
            return new Holder(pid, StartTime(pid));
        }
        return null;
    }

    readonly record struct FileIdentity(ulong Dev, ulong Ino);

    static bool HoldsOpen(int pid, FileIdentity file)
    {
        IEnumerable<string> fds;
        try { fds = Directory.GetFiles($"/proc/{pid}/fd"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        return fds.Any(fd => Identity(fd, followMagicLink: true) == file);
    }

    const int O_PATH = 0x200000;

    /// <summary>st_dev and st_ino of a path (of what a /proc/PID/fd/N link names, with <paramref name="followMagicLink"/>).</summary>
    static unsafe FileIdentity? Identity(string path, bool followMagicLink)
    {
        var fd = Native.open(path, O_PATH | Native.O_CLOEXEC | (followMagicLink ? 0 : Native.O_NOFOLLOW), 0);
        if (fd < 0) return null;
        try
        {
            var st = stackalloc byte[256];
            if (Native.fstat(fd, st) != 0) return null;
            return new FileIdentity(*(ulong*)st, *(ulong*)(st + 8)); // st_dev, st_ino on x86_64 and aarch64
        }
        finally { Native.close(fd); }
    }

    /// <summary>When a process started (proc(5): stat field 22 in clock ticks after /proc/stat's btime; USER_HZ is 100).</summary>
    static DateTime? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = ulong.Parse(fields[19], CultureInfo.InvariantCulture); // field 22, counted from field 3
            var btimeLine = File.ReadAllLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal));
            var btime = long.Parse(btimeLine[6..].Trim(), CultureInfo.InvariantCulture);
            return DateTime.UnixEpoch.AddSeconds(btime + ticks / 100.0);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidOperationException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
