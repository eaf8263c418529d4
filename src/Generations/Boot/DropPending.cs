using Apkgen.Generations.Model;

namespace Apkgen.Generations.Boot;

/// <summary>Remove the <c>pending</c> symlink (trial over, one way or the other).</summary>
public sealed record DropPending : BootStep;
