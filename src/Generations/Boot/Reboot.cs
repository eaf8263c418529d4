using Apkgen.Generations.Model;

namespace Apkgen.Generations.Boot;

/// <summary>Reboot once everything is written and synced.</summary>
public sealed record Reboot(string Why) : BootStep;
