namespace Apkgen.Crash.Tests;

/// <summary>The fault-injection stages of src/Generations (Faults.Stage calls), in the order apkgen passes them.</summary>
public static class Stages
{
    /// <summary>
    /// A commit with the default config (4 slots, automatic gc): the gc after the switch deletes
    /// the old links directory, so it passes gc-sync too.
    /// </summary>
    public static readonly string[] Exec =
        ["snapshot", "change", "changed", "readonly", "links-0", "links-1", "links-2", "links-3", "next", "sync1", "rename", "sync2", "gc-sync"];

    /// <summary>gc on the gc base: four generations to delete, then the sync.</summary>
    public static readonly string[] Gc = ["gc-0", "gc-1", "gc-2", "gc-3", "gc-sync"];

    /// <summary>True if <paramref name="stage"/> comes at or after <paramref name="other"/> in a commit.</summary>
    public static bool AtOrAfter(string stage, string other) => Array.IndexOf(Exec, stage) >= Array.IndexOf(Exec, other);

    /// <summary>xunit data for the commit stages.</summary>
    public static TheoryData<string> ExecData => new(Exec);

    /// <summary>xunit data for the gc stages.</summary>
    public static TheoryData<string> GcData => new(Gc);
}
