using System.Runtime.InteropServices;
using System.Text;
using Apkgen.Core.Edge;
using static Apkgen.Core.Linux.Native;

namespace Apkgen.Core.Linux;

/// <summary>
/// A snapshot's files through openat2(2) with <c>RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS</c>
/// from a descriptor of the snapshot's root: the kernel resolves every component, and an
/// absolute symlink or a <c>..</c> cannot climb above the root (openat2(2), "RESOLVE_IN_ROOT":
/// "as though the calling process had used chroot(2)"). The last component of a write is
/// resolved by hand (readlinkat, at most 40 hops, as the kernel's MAXSYMLINKS) so that a link
/// to a file that does not exist yet (the guide's etc/resolv.conf -> /tmp/resolv.conf) is
/// created where the snapshot's root would create it. The root descriptor is opened per call:
/// an open descriptor must not keep a snapshot being deleted busy.
/// </summary>
public sealed unsafe class ConfinedRoot(string rootPath) : ISnapshotFiles
{
    const int MaxHops = 40;

    /// <inheritdoc />
    public string RootPath { get; } = rootPath;

    /// <inheritdoc />
    public string? ReadText(string relative)
    {
        using var root = OpenRoot();
        // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
        var fd = OpenInRoot(root.Fd, relative, O_RDONLY | O_NONBLOCK);
        // A link that leads nowhere inside (ELOOP: in a loop, as tmp -> /tmp/x is inside) is no file.
        if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP) return null;
        if (fd < 0) throw Failure(fd, "open", relative);
        using var file = new Descriptor(fd);
        if (TypeOf(fd) != S_IFREG) throw new UnresolvedInSnapshotException($"{Describe(relative)} is not a regular file");
        return Encoding.UTF8.GetString(ReadAll(fd, relative));
    }

    /// <inheritdoc />
    public bool FileExists(string relative) => TypeAt(relative) == S_IFREG;

    /// <inheritdoc />
    public long? FileLength(string relative)
    {
        using var root = OpenRoot();
        var fd = OpenInRoot(root.Fd, relative, O_PATH);
        if (fd < 0) return null;
        using var file = new Descriptor(fd);
        var buf = stackalloc byte[256];
        if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE, buf) != 0) throw Error("statx", ProcFd(fd));
        // struct statx: stx_mode (u16) at offset 28, stx_size (u64) at 40, on every architecture.
        return (*(ushort*)(buf + 28) & S_IFMT) == S_IFREG ? (long)*(ulong*)(buf + 40) : null;
    }

    /// <inheritdoc />
    public bool DirectoryExists(string relative) => TypeAt(relative) == S_IFDIR;

    /// <inheritdoc />
    public IReadOnlyList<string> ListNames(string relative)
    {
        using var root = OpenRoot();
        var fd = OpenInRoot(root.Fd, relative, O_RDONLY | O_DIRECTORY);
        if (fd < 0) return [];
        using var dir = new Descriptor(fd);
        // The descriptor's magic link is apkgen's own, not the tree's: opendir(3) on it lists
        // exactly the directory openat2 found.
        return Directory.EnumerateFileSystemEntries(ProcFd(fd)).Select(Path.GetFileName).OfType<string>()
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public void WriteTextAtomically(string relative, string text, bool replaceSymlink = false)
    {
        using var root = OpenRoot();
        var (parent, name) = (replaceSymlink ? LocateName(root.Fd, relative) : Locate(root.Fd, relative))
            ?? throw new DirectoryNotFoundException($"{Describe(relative)}: its directory is not there");
        using (parent)
        {
            var temp = $".{name}.apkgen-{Environment.ProcessId}";
            unlinkat(parent.Fd, temp, 0);
            var fd = openat(parent.Fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0x1A4); // 0644
            if (fd < 0) throw Error("create", Describe(relative));
            try
            {
                using (new Descriptor(fd)) WriteAll(fd, Encoding.UTF8.GetBytes(text), relative);
                // No fsync: a snapshot becomes a generation only after the commit's syncfs
                // (LayoutStore.Switch); rename is here so no reader sees half a file.
                if (renameat(parent.Fd, temp, parent.Fd, name) != 0) throw Error("rename", Describe(relative));
            }
            catch
            {
                unlinkat(parent.Fd, temp, 0);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public bool DeleteFile(string relative)
    {
        using var root = OpenRoot();
        if (Locate(root.Fd, relative) is not { } located) return false;
        var (parent, name) = located;
        using (parent)
        {
            if (unlinkat(parent.Fd, name, 0) == 0) return true;
            if (Marshal.GetLastPInvokeError() == ENOENT) return false;
            throw Error("unlink", Describe(relative));
        }
    }

    /// <inheritdoc />
    public void CreateDirectory(string relative)
    {
        using var root = OpenRoot();
        CreateDirectory(root.Fd, relative);
    }

    /// <inheritdoc />
    public string? Resolve(string relative)
    {
        using var root = OpenRoot();
        return Resolve(root.Fd, relative, 0);
    }

    /// <inheritdoc />
    public MountTarget OpenForMount(string relative, bool file)
    {
        using var root = OpenRoot();
        int fd;
        if (!file)
        {
            CreateDirectory(root.Fd, relative);
            fd = OpenInRoot(root.Fd, relative, O_PATH | O_DIRECTORY);
            if (fd < 0) throw Failure(fd, "open", relative);
        }
        else
        {
            var (parent, name) = Locate(root.Fd, relative) ?? throw new DirectoryNotFoundException($"{Describe(relative)}: its directory is not there");
            using (parent)
            {
                fd = openat(parent.Fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd < 0 && Marshal.GetLastPInvokeError() == ENOENT)
                {
                    var created = openat(parent.Fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0x1A4);
                    if (created < 0) throw Error("create", Describe(relative));
                    close(created);
                    fd = openat(parent.Fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
                }
                if (fd < 0) throw Error("open", Describe(relative));
            }
            if (TypeOf(fd) != S_IFREG)
            {
                close(fd);
                throw new UnresolvedInSnapshotException($"{Describe(relative)} is not a regular file");
            }
        }
        var handle = new Descriptor(fd);
        try
        {
            return new MountTarget(ProcFd(fd), ReadLink(AT_FDCWD, ProcFd(fd)) ?? throw Error("readlink", ProcFd(fd)),
                RelativeOf(root.Fd, fd), handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a program on the host that follows the path from <see cref="RootPath"/> without
    /// confinement (apk run with --root, as real apk and its stand-in are) would land outside
    /// the snapshot; null when every component stays inside (or is not there yet).
    /// </summary>
    public string? HostResolutionOutside(string relative)
    {
        var rootReal = RealPaths.Resolve(RootPath) ?? throw new DirectoryNotFoundException(RootPath);
        var prefix = RootPath;
        foreach (var component in Components(relative))
        {
            prefix = Path.Combine(prefix, component);
            if (RealPaths.Resolve(prefix) is { } real)
            {
                if (!Inside(real, rootReal)) return real;
                continue;
            }
            // Not there, or a dangling link: the host would create the link's target.
            if (new FileInfo(prefix).LinkTarget is not { } target) return null;
            var parentReal = RealPaths.Resolve(Path.GetDirectoryName(prefix)!) ?? rootReal;
            var lands = Path.GetFullPath(target.StartsWith('/') ? target : Path.Combine(parentReal, target));
            return Inside(lands, rootReal) ? null : lands;
        }
        return null;

        static bool Inside(string path, string root) => path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }

    /// <summary>Creates each missing component inside the root; a dangling symlink on the way is refused.</summary>
    void CreateDirectory(int rootFd, string relative)
    {
        var current = "";
        foreach (var component in Components(relative))
        {
            var next = Join(current, component);
            var fd = OpenInRoot(rootFd, next, O_PATH | O_DIRECTORY);
            if (fd >= 0)
            {
                close(fd);
                current = next;
                continue;
            }
            if (fd != -ENOENT) throw Failure(fd, "open", next);
            var parentFd = OpenInRoot(rootFd, current, O_PATH | O_DIRECTORY);
            if (parentFd < 0) throw Failure(parentFd, "open", current);
            using (new Descriptor(parentFd))
            {
                if (ReadLink(parentFd, component) is { } target)
                    throw new UnresolvedInSnapshotException($"{Describe(next)} is a symlink to {target}, which leads nowhere inside the snapshot");
                if (mkdirat(parentFd, component, 0x1ED) != 0 && Marshal.GetLastPInvokeError() != EEXIST) // 0755
                    throw Error("mkdir", Describe(next));
            }
            current = next;
        }
    }

    /// <summary>
    /// The directory (resolved inside the root) and the name that <paramref name="relative"/>
    /// finally stands for, following symlinks in the last component inside the root even
    /// when their target does not exist; null when that directory is not there.
    /// </summary>
    (Descriptor Parent, string Name)? Locate(int rootFd, string relative) =>
        Follow(rootFd, relative) is { Parent: { } parent } found ? (parent, found.Name) : null;

    /// <summary>
    /// <see cref="Locate"/>, and when the directory is missing, the path (after the links
    /// followed so far) whose directory is missing.
    /// </summary>
    (Descriptor? Parent, string Name, string Pending) Follow(int rootFd, string relative)
    {
        for (var hops = 0; hops <= MaxHops; hops++)
        {
            var parts = Components(relative);
            if (parts.Count == 0) throw new UnresolvedInSnapshotException($"{Describe(relative)} is the snapshot's root itself");
            var name = parts[^1];
            var parentRelative = string.Join('/', parts.Take(parts.Count - 1));
            var parentFd = OpenInRoot(rootFd, parentRelative, O_PATH | O_DIRECTORY);
            if (parentFd == -ENOENT) return (null, name, relative);
            if (parentFd < 0) throw Failure(parentFd, "open", parentRelative);
            var parent = new Descriptor(parentFd);
            if (name is "." or "..")
            {
                // Physically, as the kernel does: the parent's place, or the place above it.
                var place = RelativeOf(rootFd, parentFd);
                parent.Dispose();
                relative = name == "." ? place : Path.GetDirectoryName(place) ?? "";
                if (Components(relative).Count == 0) throw new UnresolvedInSnapshotException($"{Describe(relative)} is the snapshot's root itself");
                continue;
            }
            if (ReadLink(parentFd, name) is not { } target) return (parent, name, relative);
            var from = RelativeOf(rootFd, parentFd);
            parent.Dispose();
            relative = target.StartsWith('/') ? target : Join(from, target);
        }
        throw new UnresolvedInSnapshotException($"{Describe(relative)}: too many levels of symbolic links");
    }

    /// <summary>Where a path leads, its missing directories included (each resolved as far as it exists).</summary>
    string? Resolve(int rootFd, string relative, int depth)
    {
        if (depth > MaxHops) throw new UnresolvedInSnapshotException($"{Describe(relative)}: too many levels of symbolic links");
        var (parent, name, pending) = Follow(rootFd, relative);
        if (parent is not null)
            using (parent) return Join(RelativeOf(rootFd, parent.Fd), name);
        var parts = Components(pending);
        if (parts.Count <= 1) return null;
        return Resolve(rootFd, string.Join('/', parts.Take(parts.Count - 1)), depth + 1) is { } up ? Join(up, name) : null;
    }

    /// <summary>The directory (resolved inside the root) and the last name as it is, a symlink not followed.</summary>
    static (Descriptor Parent, string Name)? LocateName(int rootFd, string relative)
    {
        var parts = Components(relative);
        if (parts.Count == 0 || parts[^1] is "." or "..") throw new IOException($"{relative} does not name a file");
        var fd = OpenInRoot(rootFd, string.Join('/', parts.Take(parts.Count - 1)), O_PATH | O_DIRECTORY);
        return fd < 0 ? null : (new Descriptor(fd), parts[^1]);
    }

    Descriptor OpenRoot()
    {
        var fd = open(RootPath, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) throw Error("open", RootPath);
        return new Descriptor(fd);
    }

    /// <summary>How often an openat2 that met a concurrent rename or mount (EAGAIN) is tried.</summary>
    const int OpenAttempts = 1000;

    /// <summary>openat2 inside the root; the descriptor, or minus errno.</summary>
    static int OpenInRoot(int rootFd, string relative, int flags)
    {
        var path = Components(relative) is { Count: > 0 } parts ? string.Join('/', parts) : ".";
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        var how = new OpenHow { Flags = (ulong)(flags | O_CLOEXEC), Mode = 0, Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        fixed (byte* p = bytes)
        {
            // openat2(2): a ".." walked while a rename or mount happened anywhere in the system is
            // EAGAIN (the kernel cannot prove the walk stayed inside); the caller may retry. A busy
            // system makes it happen (ConfinedRootTests reads through ".." during renames).
            for (var attempt = 1; ; attempt++)
            {
                var fd = syscall(SYS_openat2, rootFd, p, &how, (nuint)sizeof(OpenHow));
                if (fd >= 0) return (int)fd;
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EAGAIN || attempt == OpenAttempts) return -errno;
            }
        }
    }

    int TypeAt(string relative)
    {
        using var root = OpenRoot();
        var fd = OpenInRoot(root.Fd, relative, O_PATH);
        if (fd < 0) return 0;
        using (new Descriptor(fd)) return TypeOf(fd);
    }

    static int TypeOf(int fd)
    {
        var buf = stackalloc byte[256];
        if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, buf) != 0) throw Error("statx", ProcFd(fd));
        return *(ushort*)(buf + 28) & S_IFMT; // struct statx: stx_mode (u16) at offset 28 on every architecture
    }

    /// <summary>The place of a descriptor relative to the root, from the kernel's name of both.</summary>
    static string RelativeOf(int rootFd, int fd)
    {
        var root = ReadLink(AT_FDCWD, ProcFd(rootFd)) ?? throw Error("readlink", ProcFd(rootFd));
        var place = ReadLink(AT_FDCWD, ProcFd(fd)) ?? throw Error("readlink", ProcFd(fd));
        if (place == root) return "";
        if (root == "/") return place.TrimStart('/');
        if (!place.StartsWith(root + "/", StringComparison.Ordinal)) throw new IOException($"{place} is not inside {root}");
        return place[(root.Length + 1)..];
    }

    /// <summary>readlinkat(2): the link's target, or null when the name is not a symlink (or not there).</summary>
    static string? ReadLink(int dirFd, string name)
    {
        var buf = stackalloc byte[4096];
        var n = readlinkat(dirFd, name, buf, 4096);
        return n < 0 ? null : Encoding.UTF8.GetString(buf, (int)n);
    }

    static byte[] ReadAll(int fd, string relative)
    {
        using var stream = new MemoryStream();
        var buf = new byte[65536];
        fixed (byte* p = buf)
            for (; ; )
            {
                var n = read(fd, p, (nuint)buf.Length);
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EINTR) continue;
                    throw Error("read", relative);
                }
                if (n == 0) return stream.ToArray();
                stream.Write(buf, 0, (int)n);
            }
    }

    static void WriteAll(int fd, byte[] bytes, string relative)
    {
        fixed (byte* p = bytes)
            for (var done = 0; done < bytes.Length;)
            {
                var n = write(fd, p + done, (nuint)(bytes.Length - done));
                if (n < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EINTR) continue;
                    throw Error("write", relative);
                }
                done += (int)n;
            }
    }

    static List<string> Components(string relative) =>
        relative.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();

    static string Join(string a, string b) => a.Length == 0 ? b.TrimStart('/') : a + "/" + b;

    static string ProcFd(int fd) => "/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture);

    string Describe(string relative) => Path.Combine(RootPath, relative.TrimStart('/'));

    IOException Failure(int minusErrno, string call, string relative) => -minusErrno is ELOOP or ENOTDIR or EXDEV
        ? new UnresolvedInSnapshotException($"{Describe(relative)} does not resolve inside the snapshot: {Marshal.GetPInvokeErrorMessage(-minusErrno)}")
        : new NativeIOException($"{call} {Describe(relative)}: {Marshal.GetPInvokeErrorMessage(-minusErrno)}", -minusErrno);

    /// <summary>An open descriptor, closed on dispose.</summary>
    sealed class Descriptor(int fd) : IDisposable
    {
        public int Fd { get; } = fd;
        public void Dispose() => close(Fd);
    }
}
