namespace Apkgen.Core;

/// <summary>
/// The names of the stage boundaries apkgen passes (<see cref="Edge.IFaultPoints"/>), and
/// their order in a commit and a gc: the crash tests take their stage lists from here, so a
/// new stage is tested without a hand-kept list.
/// </summary>
public static class FaultStages
{
    /// <summary>The snapshot of the base exists (rw).</summary>
    public const string Snapshot = "snapshot";
    /// <summary>The change is about to run.</summary>
    public const string Change = "change";
    /// <summary>The change ran.</summary>
    public const string Changed = "changed";
    /// <summary>generation.ini is written and the snapshot is read-only.</summary>
    public const string ReadOnly = "readonly";
    /// <summary>Slot N of the new links directory exists (<c>links-0</c>, <c>links-1</c>, ...).</summary>
    public const string LinksPrefix = "links-";
    /// <summary><c>next/NAME</c> exists.</summary>
    public const string Next = "next";
    /// <summary>The syncfs before the rename is done.</summary>
    public const string Sync1 = "sync1";
    /// <summary>The switch is renamed into place.</summary>
    public const string Rename = "rename";
    /// <summary>The syncfs after the rename is done.</summary>
    public const string Sync2 = "sync2";
    /// <summary>gc deleted its Nth generation (<c>gc-0</c>, <c>gc-1</c>, ...).</summary>
    public const string GcPrefix = "gc-";
    /// <summary>gc's final sync is done.</summary>
    public const string GcSync = "gc-sync";

    /// <summary>The stage of slot <paramref name="slot"/> of a new links directory.</summary>
    public static string Links(int slot) => LinksPrefix + slot.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The stage after gc deleted its generation number <paramref name="n"/> (from 0).</summary>
    public static string Gc(int n) => GcPrefix + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The stages of a commit with <paramref name="links"/> slots, in the order it passes them (the switch's included).</summary>
    public static IReadOnlyList<string> Commit(int links) =>
        [Snapshot, Change, Changed, ReadOnly, .. Enumerable.Range(0, links).Select(Links), .. Switch];

    /// <summary>The stages of one switch of <c>current</c> or <c>pending</c>, in order.</summary>
    public static IReadOnlyList<string> Switch => [Next, Sync1, Rename, Sync2];

    /// <summary>The stages of a gc that deletes <paramref name="generations"/> generations, in order.</summary>
    public static IReadOnlyList<string> GcRun(int generations) => [.. Enumerable.Range(0, generations).Select(Gc), GcSync];
}
