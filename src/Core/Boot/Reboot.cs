using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Reboot once everything is written and synced.</summary>
public sealed record Reboot(string Why) : BootStep;
