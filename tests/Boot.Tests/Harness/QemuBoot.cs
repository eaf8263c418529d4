namespace Apkgen.Boot.Tests.Harness;

/// <summary>One start of QEMU: the guest runs until it powers off, resets, or is killed.</summary>
/// <param name="DiskPath">The guest's disk (a raw copy of the class's base image).</param>
/// <param name="VarsPath">The guest's own OVMF variable store, kept between its boots (BootNext).</param>
/// <param name="SerialPath">Where the serial console is written.</param>
/// <param name="StepPath">A shell script the guest runs after boot (QEMU fw_cfg), or null.</param>
/// <param name="Timeout">The whole boot, from QEMU start to exit.</param>
/// <param name="StallAfter">No serial output for this long means a stall.</param>
/// <param name="KillWhen">Called with the serial text so far; a non-null delay means
/// "kill QEMU (a power cut) that long after now".</param>
/// <param name="LivePath">A file the serial output is appended to as it arrives (scripts/boot-demo tails it).</param>
public sealed record QemuBoot(
    string DiskPath,
    string VarsPath,
    string SerialPath,
    string? StepPath,
    TimeSpan Timeout,
    TimeSpan StallAfter,
    Func<string, TimeSpan?>? KillWhen = null,
    string? LivePath = null);

/// <summary>How one QEMU run ended.</summary>
public enum QemuEnd
{
    /// <summary>QEMU exited by itself: poweroff, or a reset with -no-reboot (panic, reboot).</summary>
    Exited,
    /// <summary>The harness killed it on purpose (a power cut).</summary>
    PowerCut,
    /// <summary>No serial output for <see cref="QemuBoot.StallAfter"/>: killed.</summary>
    Stalled,
    /// <summary>The boot took longer than <see cref="QemuBoot.Timeout"/>: killed.</summary>
    TimedOut,
}

/// <summary>The result of one QEMU run.</summary>
public sealed record QemuRun(QemuEnd End, int? ExitCode, string Serial, string Stderr, TimeSpan Duration, string Accel);
