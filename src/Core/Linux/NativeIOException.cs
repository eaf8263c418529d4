namespace Apkgen.Core.Linux;

/// <summary>An I/O failure that carries the errno (ENOSPC and EROFS get their own messages upstream).</summary>
public sealed class NativeIOException(string message, int errno) : IOException(message)
{
    /// <summary>The errno value.</summary>
    public int Errno { get; } = errno;
}
