using Apkgen.Core.Configuration;

namespace Apkgen.Core.Auto;

/// <summary>What <c>apkgen auto-upgrade</c> decides from, read under the global lock.</summary>
/// <param name="Config">[auto] of apkgen.conf.</param>
/// <param name="NowUtc">The clock.</param>
/// <param name="LocalTimeOfDay">The clock as local time of day (the window is local time, as crond's schedule is).</param>
/// <param name="LastRunUtc">When the last due run happened (the stamp on the top level), or null if never.</param>
/// <param name="Waiting">A committed generation the next boot tries that has not been booted yet (trial: slot 0 of pending; counter: a pending slot 0 that is not the booted one), or null.</param>
/// <param name="Forced"><c>--now</c>: the administrator asked, so the interval and the window do not apply.</param>
public sealed record AutoUpgradeFacts(AutoSection Config, DateTime NowUtc, TimeOnly LocalTimeOfDay, DateTime? LastRunUtc, string? Waiting, bool Forced = false);
