using System.Text.RegularExpressions;

namespace Apkgen.Core.Auto;

/// <summary>
/// What <c>apk upgrade --simulate</c> printed it would do: its numbered step lines,
/// <c>(1/2) Upgrading hello (1.0-r0 -&gt; 2.0-r0)</c> (apk-tools 2.14 and 3 print the same).
/// </summary>
public static partial class SimulatedUpgrade
{
    /// <summary>The steps, without their numbers: <c>Upgrading hello (1.0-r0 -&gt; 2.0-r0)</c>.</summary>
    public static IReadOnlyList<string> Steps(string apkOutput) =>
        apkOutput.Split('\n')
            .Select(l => Step().Match(l.Trim()))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToList();

    [GeneratedRegex(@"^\(\d+/\d+\)\s+(\S.*)$")]
    private static partial Regex Step();
}
