namespace Apkgen.Core.Model;

/// <summary>One installed package: name and full apk version (e.g. <c>musl</c>, <c>1.2.5-r0</c>).</summary>
public readonly record struct Package(string Name, string Version)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}-{Version}";
}
