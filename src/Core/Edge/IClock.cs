namespace Apkgen.Core.Edge;

/// <summary>The time, for ids and metadata.</summary>
public interface IClock
{
    /// <summary>Now, UTC.</summary>
    DateTime UtcNow { get; }
}
