namespace Apkgen.Core.Edge;

/// <summary>A process holding an exclusive lock on a file, and when it started (null when unknown).</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Started">When it started, to the second at best (UTC).</param>
public sealed record LockHolder(int Pid, DateTime? Started);
