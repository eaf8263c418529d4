using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Apkgen.Core.Linux;

/// <summary>
/// Reads a small file that someone else may have replaced with anything: a symlink, a FIFO,
/// <c>/dev/zero</c>, a huge file. Only a regular file of at most the given size is read.
/// </summary>
public static class BoundedFile
{
    const int O_NONBLOCK = 0x800, S_IFMT = 0xF000, S_IFREG = 0x8000, ELOOP = 40;

    /// <summary>
    /// The UTF-8 text of <paramref name="path"/>, read only if it is a regular file of at most
    /// <paramref name="maxBytes"/>: opened with O_NOFOLLOW (a symlink is refused, not
    /// followed to /dev/zero) and O_NONBLOCK (opening a FIFO does not wait for a writer),
    /// then checked with fstat before any read. Null with <paramref name="exists"/> false when
    /// there is no file, null with <paramref name="error"/> set when it cannot be read.
    /// </summary>
    public static unsafe string? ReadRegular(string path, int maxBytes, out bool exists, out string? error)
    {
        error = null;
        exists = true;
        var fd = Native.open(path, Native.O_RDONLY | Native.O_NOFOLLOW | Native.O_CLOEXEC | O_NONBLOCK, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Native.ENOENT) { exists = false; return null; }
            error = errno == ELOOP ? "is a symbolic link, not a regular file"
                : Marshal.GetPInvokeErrorMessage(errno);
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var st = stackalloc byte[256];
        if (Native.fstat(fd, st) != 0)
        {
            error = "fstat failed: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return null;
        }
        // struct stat: st_mode at 24 on x86_64, at 16 on aarch64 (asm-generic); st_size at 48 on both.
        var mode = *(uint*)(st + (RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16));
        if ((mode & S_IFMT) != S_IFREG)
        {
            error = "is " + FileKind(mode & S_IFMT) + ", not a regular file";
            return null;
        }
        if (*(long*)(st + 48) > maxBytes)
        {
            error = $"is larger than {maxBytes / 1024} KiB";
            return null;
        }
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
            length += n;
        if (length > maxBytes)
        {
            error = $"is larger than {maxBytes / 1024} KiB";
            return null;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    static string FileKind(uint type) => type switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xA000 => "a symbolic link",
        0xC000 => "a socket",
        _ => "not a regular file",
    };
}
