namespace Apkgen.Core.Edge;

/// <summary>What a shipped executable does at a stage boundary: nothing.</summary>
public sealed class NoFaultPoints : IFaultPoints
{
    /// <summary>The one instance.</summary>
    public static readonly NoFaultPoints Instance = new();

    NoFaultPoints() { }

    /// <inheritdoc />
    public void Pass(string stage) { }
}
