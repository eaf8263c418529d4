using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Remove the <c>pending</c> symlink (trial over, one way or the other).</summary>
public sealed record DropPending : BootStep;
