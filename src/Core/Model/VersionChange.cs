namespace Apkgen.Core.Model;

/// <summary>A package whose version changed between two generations.</summary>
public readonly record struct VersionChange(string Name, string From, string To)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} {From} -> {To}";
}
