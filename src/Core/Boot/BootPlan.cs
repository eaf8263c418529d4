using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>What the boot check will do, in order, and what it says about it.</summary>
/// <param name="Steps">The steps, in the order they must be applied.</param>
/// <param name="Messages">Lines for the console (what was found and why nothing else happens).</param>
public sealed record BootPlan(IReadOnlyList<BootStep> Steps, IReadOnlyList<string> Messages)
{
    /// <summary>A plan that only says something.</summary>
    public static BootPlan Nothing(string message) => new([], [message]);

    /// <summary>True when the plan changes nothing.</summary>
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>True when the plan ends in a reboot.</summary>
    public bool Reboots => Steps.Any(s => s is Reboot);
}
