using Apkgen.Generations.Edge;

namespace Apkgen.Generations.Linux;

/// <summary>The system clock.</summary>
public sealed class SystemClock : IClock
{
    /// <inheritdoc />
    public DateTime UtcNow => DateTime.UtcNow;
}
