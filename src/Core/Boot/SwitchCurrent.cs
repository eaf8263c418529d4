using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>A new links generation with these slots becomes <c>current</c> (demotion).</summary>
public sealed record SwitchCurrent(IReadOnlyList<string> Slots) : BootStep;
