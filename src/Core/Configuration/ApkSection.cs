namespace Apkgen.Core.Configuration;

/// <summary>[apk]: the real apk.</summary>
public sealed record ApkSection
{
    /// <summary>Path of the real apk executable (never the wrapper).</summary>
    public string Path { get; init; } = "/sbin/apk";

    internal static ApkSection Read(ConfigReader r) => new() { Path = r.Path("path", "/sbin/apk") };
}
