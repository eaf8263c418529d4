using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary><see cref="IProcessTable"/> from /proc/PID/root (proc(5)) and kill(2).</summary>
public sealed class LinuxProcessTable : IProcessTable
{
    /// <inheritdoc />
    public IReadOnlyList<int> RootedUnder(string rootPath)
    {
        var root = Path.GetFullPath(rootPath);
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            string? procRoot;
            try { procRoot = new DirectoryInfo(Path.Combine(dir, "root")).LinkTarget; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (procRoot is not null && (procRoot == root || procRoot.StartsWith(root + "/", StringComparison.Ordinal)))
                found.Add(pid);
        }
        return found;
    }

    /// <inheritdoc />
    public void Signal(int pid, int signal) => Native.kill(pid, signal);
}
