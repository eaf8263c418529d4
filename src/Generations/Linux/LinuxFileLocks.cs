using Apkgen.Generations.Edge;

namespace Apkgen.Generations.Linux;

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
