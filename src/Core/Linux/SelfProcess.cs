namespace Apkgen.Core.Linux;

/// <summary>
/// This process as the kernel sees it (proc(5): /proc/self). Here so that no other part of
/// apkgen names /proc; the apk wrapper asks on every run, so each answer is one read.
/// </summary>
public static class SelfProcess
{
    /// <summary>
    /// argv[0] as exec gave it, from /proc/self/cmdline: a framework-dependent build reports
    /// its .dll as the first command-line argument, a native one argv[0]. Without /proc (a
    /// chroot) the runtime's first argument.
    /// </summary>
    public static string ArgvZero()
    {
        try
        {
            var cmdline = File.ReadAllText("/proc/self/cmdline");
            var end = cmdline.IndexOf('\0');
            return end < 0 ? cmdline : cmdline[..end];
        }
        catch (IOException)
        {
            return Environment.GetCommandLineArgs().FirstOrDefault() ?? "";
        }
    }

    /// <summary>
    /// The executable this process runs, every symlink resolved (/proc/self/exe); null
    /// without /proc, where it cannot be told.
    /// </summary>
    public static string? ExecutablePath() => RealPaths.Resolve("/proc/self/exe");
}
