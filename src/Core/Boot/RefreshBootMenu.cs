using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Refresh the boot menu after <c>current</c> or <c>pending</c> changed.</summary>
public sealed record RefreshBootMenu : BootStep;
