using System.Text.RegularExpressions;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>One boot of a guest as the test sees it: the run that counted, and a stalled first
/// attempt when there was one (reported, never hidden).</summary>
public sealed partial record BootRecord(int Number, string SerialPath, QemuRun Run, QemuRun? StalledAttempt)
{
    /// <summary>The marker line printed by the guest's apkgen-test-step service, if it got there.</summary>
    public Marker? Marker => Marker.Find(Run.Serial);

    /// <summary>The guest reached the kernel (rEFInd found and started it).</summary>
    public bool KernelStarted => Run.Serial.Contains("Linux version", StringComparison.Ordinal);

    /// <summary>The guest asked the kernel to restart (a reboot, not a poweroff; with -no-reboot
    /// QEMU then exits).</summary>
    public bool Rebooted => Run.Serial.Contains("reboot: Restarting system", StringComparison.Ordinal);

    /// <summary>The kernel panicked during this boot.</summary>
    public bool Panicked => Run.Serial.Contains("Kernel panic", StringComparison.Ordinal);

    /// <summary>Lines the guest printed starting with the given prefix, prefix removed (e.g.
    /// "APKGEN-LIST "). The step runs under sh -x: its trace lines start with "+ " and do not count.</summary>
    public IReadOnlyList<string> Lines(string prefix) =>
        Run.Serial.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => l[prefix.Length..])
            .ToList();

    /// <summary>One line for the test output.</summary>
    public string Summary =>
        $"boot {Number}: {Run.End} after {Run.Duration.TotalSeconds:F1} s ({Run.Accel})"
        + (Marker is { } m ? $", booted {m.Booted} from {m.Subvol}" : KernelStarted ? ", no marker" : ", kernel never started")
        + (Panicked ? ", kernel panic" : "")
        + (StalledAttempt is { } s
            ? $"; a first attempt STALLED after {s.Duration.TotalSeconds:F0} s (no serial output for the stall limit; last line: '{LastLine(s.Serial)}') and was retried"
            : "");

    internal static string LastLine(string serial) =>
        serial.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";
}

/// <summary>What the guest said about itself once booted.</summary>
/// <param name="Booted">The root of the mounted "/" inside the filesystem: /snapshots/&lt;id&gt;/@.</param>
/// <param name="Subvol">rootflags=subvol= from the kernel command line: /current/N/@ or /pending/0/@.</param>
/// <param name="Slot">N of /current/N/@ (or /pending/N/@).</param>
public sealed partial record Marker(string Booted, string Subvol, string Slot)
{
    /// <summary>The generation id in <see cref="Booted"/>.</summary>
    public string GenerationId => Booted.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var id, ..] ? id : Booted;

    internal static Marker? Find(string serial) =>
        MarkerLine().Match(serial) is { Success: true } m
            ? new Marker(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)
            : null;

    [GeneratedRegex(@"APKGEN-BOOT-MARKER booted=(\S*) subvol=(\S*) slot=(\S*)")]
    private static partial Regex MarkerLine();
}
