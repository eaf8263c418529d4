using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary>The system clock.</summary>
public sealed class SystemClock : IClock
{
    /// <inheritdoc />
    public DateTime UtcNow => DateTime.UtcNow;
}
