using System.Globalization;
using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary><see cref="IFileLocks"/> with flock(2): released when the descriptor closes, so also when apkgen dies.</summary>
public sealed class LinuxFileLocks : IFileLocks
{
    /// <inheritdoc />
    public IDisposable? TryLock(string path)
    {
        var fd = Native.open(path, Native.O_RDWR | Native.O_CREAT | Native.O_CLOEXEC, 0x180);
        if (fd < 0) throw Native.Error("open", path);
        if (Native.flock(fd, Native.LOCK_EX | Native.LOCK_NB) == 0) return new Held(fd);
        Native.close(fd);
        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>/proc/locks</c> shows only an inode number and the superblock's device, which every
    /// btrfs subvolume shares: a holder counts only when one of its open files
    /// (<c>/proc/PID/fd</c>) is this very file.
    /// </remarks>
    public LockHolder? ExclusiveHolder(string path)
    {
        if (FileStatus.Of(path, followSymlink: false) is not { } lockFile) return null;
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
            return new LockHolder(pid, StartTime(pid));
        }
        return null;
    }

    static bool HoldsOpen(int pid, FileStatus file)
    {
        IEnumerable<string> fds;
        try { fds = Directory.GetFiles($"/proc/{pid}/fd"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        return fds.Any(fd => FileStatus.Of(fd, followSymlink: true) is { } open && open.Dev == file.Dev && open.Ino == file.Ino);
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

    sealed class Held(int fd) : IDisposable
    {
        int _fd = fd;

        public void Dispose()
        {
            if (_fd < 0) return;
            Native.close(_fd);
            _fd = -1;
        }
    }
}
