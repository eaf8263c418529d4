using Apkgen.Generations.Model;

namespace Apkgen.Generations.Boot;

/// <summary>One thing the boot check does to the layout, decided by <see cref="BootAssessment"/>.</summary>
public abstract record BootStep;

/// <summary>Spend one boot attempt of a pending generation (counter mode): write generation.ini, syncfs.</summary>
/// <param name="Id">The generation.</param>
/// <param name="AttemptsLeft">Attempts left after this boot.</param>
public sealed record SpendAttempt(string Id, int AttemptsLeft) : BootStep;

/// <summary>Change a generation's boot state, with the reason shown by status and list.</summary>
public sealed record SetBootState(string Id, BootState State, string Reason) : BootStep;

/// <summary>A new links generation with these slots becomes <c>current</c> (demotion).</summary>
public sealed record SwitchCurrent(IReadOnlyList<string> Slots) : BootStep;

/// <summary>Trial success: <c>current</c> becomes the links generation <c>pending</c> names.</summary>
public sealed record PromotePending(string LinksId) : BootStep;

/// <summary>Remove the <c>pending</c> symlink (trial over, one way or the other).</summary>
public sealed record DropPending : BootStep;

/// <summary>Refresh the boot menu after <c>current</c> or <c>pending</c> changed.</summary>
public sealed record RefreshBootMenu : BootStep;

/// <summary>
/// Something a person must learn about: logged durably in the top level, sent to syslog,
/// and shown at the next login when <paramref name="Notify"/>.
/// </summary>
public sealed record RecordEvent(string Message, bool Notify) : BootStep;

/// <summary>Reboot once everything is written and synced.</summary>
public sealed record Reboot(string Why) : BootStep;

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
