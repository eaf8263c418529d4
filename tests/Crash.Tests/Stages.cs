using Apkgen.Core;

namespace Apkgen.Crash.Tests;

/// <summary>
/// The fault-injection stages apkgen passes, in order, taken from the library
/// (<see cref="FaultStages"/>), so a stage added there is crash-tested without a list kept by hand.
/// </summary>
public static class Stages
{
    /// <summary>
    /// A commit with the default config (4 slots, automatic gc): the gc after the switch deletes
    /// the old links directory, so it passes gc-sync too.
    /// </summary>
    public static readonly string[] Exec = [.. FaultStages.Commit(4), FaultStages.GcSync];

    /// <summary>gc on the gc base: four generations to delete, then the sync.</summary>
    public static readonly string[] Gc = [.. FaultStages.GcRun(4)];

    /// <summary>True if <paramref name="stage"/> comes at or after <paramref name="other"/> in a commit.</summary>
    public static bool AtOrAfter(string stage, string other) => Array.IndexOf(Exec, stage) >= Array.IndexOf(Exec, other);

    /// <summary>xunit data for the commit stages.</summary>
    public static TheoryData<string> ExecData => new(Exec);

    /// <summary>xunit data for the gc stages.</summary>
    public static TheoryData<string> GcData => new(Gc);
}
