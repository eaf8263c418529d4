using System.Runtime.InteropServices;

namespace Apkgen.Generations;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP do not kill apkgen in the middle of a transaction: they are
/// recorded, forwarded to the running child (Ctrl-C reaches it from the terminal already),
/// and the transaction stops at the next safe point, undoing itself (DESIGN: nothing stays
/// mounted on Ctrl-C or SIGTERM; a failed or interrupted transaction never changes current).
/// </summary>
public static class Interruption
{
    static volatile int _signal;
    static volatile int _childPid;
    static readonly List<PosixSignalRegistration> Registrations = [];

    /// <summary>The signal received, or 0.</summary>
    public static int Signal => _signal;

    /// <summary>True once a stop signal arrived.</summary>
    public static bool Requested => _signal != 0;

    /// <summary>Installs the handlers (once per process).</summary>
    public static void Install()
    {
        if (Registrations.Count > 0) return;
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            Registrations.Add(PosixSignalRegistration.Create(sig, OnSignal));
    }

    static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, _ => 1 };
        _signal = number;
        // Ctrl-C already reached the child through the terminal's process group; a SIGTERM
        // sent to apkgen alone must be passed on, or apk would keep running.
        if (number != 2 && _childPid > 0)
            Linux.Native.kill(_childPid, number);
    }

    /// <summary>The child process a stop signal is forwarded to while it runs.</summary>
    public static void SetChild(int pid) => _childPid = pid;

    /// <summary>Throws when a stop signal arrived: call at safe points before the switch.</summary>
    public static void ThrowIfRequested()
    {
        if (Requested)
            throw new ApkgenException($"interrupted by signal {Signal}; nothing was changed",
                "run the command again when you are ready", ExitCodes.Interrupted);
    }
}
