using Apkgen.Core;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Linux;

namespace Apkgen.Hooks;

/// <summary>
/// How apkgen's verbs reach the outside world, given once to <see cref="Cli.Root"/>: the
/// <see cref="SystemContext"/> made from the loaded configuration, and the system log of
/// auto-upgrade. The executable passes <see cref="Real"/>; tests/Hooks.Tests passes substitutes
/// and runs the same parse and handlers in its own process.
/// </summary>
/// <param name="System">The context for a configuration (after --config and --device).</param>
/// <param name="SystemLog">auto-upgrade's syslog.</param>
sealed record Composition(Func<ApkgenConfig, SystemContext> System, Func<ISystemLog> SystemLog)
{
    /// <summary>The real adapters.</summary>
    public static Composition Real { get; } = new(SystemContext.Real, () => new SyslogSocket("apkgen"));
}
