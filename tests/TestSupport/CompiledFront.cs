using System.Runtime.InteropServices;
using System.Text;

namespace Apkgen.TestSupport;

/// <summary>
/// The native front of the apkgen executable (src/Hooks/native/apk-front.c) compiled as a
/// library (-DAPK_FRONT_LIBRARY): its classifier of apk command lines and its reader of
/// apkgen.conf, to compare with the managed ones (ApkCommandLine, ConfText). Once per test
/// class (an xunit class fixture).
/// </summary>
public sealed class CompiledFront : IDisposable
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int PassesThrough(int argc, [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string[] argv);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int ReadConfig([MarshalAs(UnmanagedType.LPStr)] string conf, byte[] path, nuint pathSize, byte[] device, nuint deviceSize);

    readonly string _dir = Directory.CreateTempSubdirectory("apkgen-front-").FullName;
    readonly IntPtr _library;
    readonly ReadConfig _config;

    public CompiledFront()
    {
        var library = Path.Combine(_dir, "apk-front.so");
        var (code, output) = Sh.Try("cc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-DAPK_FRONT_LIBRARY",
            "-o", library, Path.Combine(Sh.RepoRoot, "src/Hooks/native/apk-front.c"));
        if (code != 0)
            throw new InvalidOperationException($"compiling apk-front.c failed (a C compiler is needed, as for the AOT link): {output}");
        _library = NativeLibrary.Load(library);
        Classify = Marshal.GetDelegateForFunctionPointer<PassesThrough>(NativeLibrary.GetExport(_library, "apk_front_passes_through"));
        ReadsLiveRoot = Marshal.GetDelegateForFunctionPointer<PassesThrough>(NativeLibrary.GetExport(_library, "apk_front_reads_live_root"));
        _config = Marshal.GetDelegateForFunctionPointer<ReadConfig>(NativeLibrary.GetExport(_library, "apk_front_config"));
    }

    /// <summary>apk_front_passes_through: 1 when apk's arguments change nothing.</summary>
    public PassesThrough Classify { get; }

    /// <summary>apk_front_reads_live_root: 1 when they read the live root's database.</summary>
    public PassesThrough ReadsLiveRoot { get; }

    /// <summary>
    /// What the front reads from the configuration file at <paramref name="conf"/>: [apk] path
    /// and [layout] device, or null when it is in doubt and leaves the decision to the managed side.
    /// </summary>
    public (string Path, string Device)? Config(string conf)
    {
        var path = new byte[4096];
        var device = new byte[4096];
        if (_config(conf, path, (nuint)path.Length, device, (nuint)device.Length) == 0) return null;
        return (Text(path), Text(device));
    }

    static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0));

    public void Dispose()
    {
        NativeLibrary.Free(_library);
        Directory.Delete(_dir, recursive: true);
    }
}
