using System.Runtime.InteropServices;

namespace Apkgen.Core.Linux;

/// <summary>Paths as the kernel resolves them.</summary>
public static class RealPaths
{
    /// <summary>realpath(3): the absolute path with every symlink resolved, or null if it does not resolve.</summary>
    public static string? Resolve(string path)
    {
        var p = Native.realpath(path, 0);
        if (p == 0) return null;
        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            Native.free(p);
        }
    }
}
