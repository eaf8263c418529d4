using System.Globalization;

namespace Apkgen.Core.Space;

/// <summary>Byte counts as people read them: binary units, three significant digits.</summary>
public static class Sizes
{
    /// <summary>E.g. <c>312 MiB</c>, <c>1.50 GiB</c>, <c>0 B</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double v = bytes;
        var u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        var digits = u == 0 || v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00";
        return v.ToString(digits, CultureInfo.InvariantCulture) + " " + units[u];
    }
}
