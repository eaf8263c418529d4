using System.Runtime.InteropServices;

namespace Apkgen.Generations.Linux;

/// <summary>Replaces the process with another program (execv(3)): no child, no overhead.</summary>
public static unsafe partial class Exec
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int execv(byte* path, byte** argv);

    /// <summary>execv; returns only on failure, with the error.</summary>
    public static IOException Replace(string path, IReadOnlyList<string> argv)
    {
        Console.Out.Flush();
        var strings = new List<IntPtr>(argv.Count + 2);
        try
        {
            var p = Marshal.StringToCoTaskMemUTF8(path);
            strings.Add(p);
            var list = stackalloc byte*[argv.Count + 1];
            for (var i = 0; i < argv.Count; i++)
            {
                var s = Marshal.StringToCoTaskMemUTF8(argv[i]);
                strings.Add(s);
                list[i] = (byte*)s;
            }
            list[argv.Count] = null;
            execv((byte*)p, list);
            return Native.Error("exec", path);
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }
}
