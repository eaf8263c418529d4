using System.Runtime.InteropServices;

namespace Apkgen.Core.Linux;

/// <summary>Replaces the process with another program (execv(3)): no child, no overhead.</summary>
public static unsafe partial class Exec
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int execv(byte* path, byte** argv);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    /// <summary>
    /// Set to the process id before every exec: a process whose own id it finds there was
    /// exec'd by itself (the pid survives exec), which only a wrapper pointed back at itself
    /// does. Children of the exec'd program have other ids. src/Hooks/native/apk-front.c
    /// sets and reads it the same way.
    /// </summary>
    public const string PidVariable = "APKGEN_EXEC_PID";

    /// <summary>True if this process was exec'd by itself through <see cref="Replace"/>.</summary>
    public static bool ReplacedItself() =>
        Environment.GetEnvironmentVariable(PidVariable) == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sets a variable in the native environment, which <see cref="Replace"/> passes on.</summary>
    public static void SetNativeVariable(string name, string value) => setenv(name, value, 1);

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
            // In the native environment, which execv passes on (Environment.SetEnvironmentVariable does not reach it).
            setenv(PidVariable, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), 1);
            execv((byte*)p, list);
            return Native.Error("exec", path);
        }
        finally
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }
}
