namespace Apkgen.Core.Linux;

/// <summary>Who apkgen runs as.</summary>
public static class Privileges
{
    /// <summary>geteuid(2).</summary>
    public static uint EffectiveUserId => Native.geteuid();
}
