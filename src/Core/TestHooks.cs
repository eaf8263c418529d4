using System.Diagnostics.CodeAnalysis;

namespace Apkgen.Core;

/// <summary>
/// Whether this build honours the test-only inputs (fixture files for /proc, a private run
/// directory, fault injection), read from environment variables named at each use. A .NET
/// feature switch: the executables' framework-dependent build (what <c>dotnet build</c> and
/// the tests run) turns it on; every publish, and so every shipped Native AOT executable,
/// turns it off with <c>Trim="true"</c>, so the compiler removes the guarded code and the
/// variables' names with it (Directory.Build.props, property <c>ApkgenTestHooks</c>). No
/// environment variable then changes what a shipped executable decides.
/// </summary>
public static class TestHooks
{
    /// <summary>The feature switch's name (runtimeconfig.json, RuntimeHostConfigurationOption).</summary>
    public const string SwitchName = "Apkgen.TestHooks";

    /// <summary>
    /// True in a test build. Every use must read the variable inside a branch on this
    /// property, with the name written there (<c>Enabled ? Environment.GetEnvironmentVariable("...") : null</c>),
    /// so that the branch and the name disappear from a publish.
    /// </summary>
    [FeatureSwitchDefinition(SwitchName)]
    public static bool Enabled => AppContext.TryGetSwitch(SwitchName, out var on) && on;
}
