using System.Runtime.InteropServices;

namespace Apkgen.Core;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP. During a change (from <see cref="Defer"/> until its scope
/// ends: a transaction from before its snapshot until it is switched or undone) they do not
/// kill apkgen: they are recorded, forwarded to the running child (Ctrl-C reaches it from
/// the terminal already), and the transaction stops at the next safe point, undoing itself
/// (DESIGN: nothing stays mounted on Ctrl-C or SIGTERM; a failed or interrupted transaction
/// never changes current). Anywhere else (status, list, gc, a wait for the lock, reading a
/// file that never ends) apkgen stops at once, as a SIGKILL there would, which the crash
/// tests prove safe at every stage: the private mounts die with the process. A program run
/// outside a change (apk's read-only applets) gets the signal first and apkgen ends with it.
/// Either way the exit code is 128 + the signal's number (129, 130, 143), one per cause, as
/// apkgen(8) documents.
/// </summary>
public static class Interruption
{
    static volatile int _signal;
    static volatile Action<int>? _signalChild;
    static int _deferring;
    static readonly object Gate = new();
    static readonly List<PosixSignalRegistration> Registrations = [];
    static string _program = "apkgen";
    static readonly CancellationTokenSource Stop = new();

    /// <summary>
    /// Cancelled when a stop signal arrives during a change. The composition root passes it
    /// down to the use case; library code checks the token it was given at its safe points,
    /// never this class.
    /// </summary>
    public static CancellationToken Token => Stop.Token;

    /// <summary>The signal received, or 0.</summary>
    public static int Signal => _signal;

    /// <summary>True once a stop signal arrived.</summary>
    public static bool Requested => _signal != 0;

    /// <summary>The exit code for a stop signal: 128 + its number.</summary>
    public static int ExitCodeFor(int signal) => 128 + signal;

    /// <summary>Installs the handlers (once per process).</summary>
    /// <param name="program">The executable's name, for the message when a signal stops it.</param>
    public static void Install(string program = "apkgen")
    {
        if (Registrations.Count > 0) return;
        _program = program;
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
            Registrations.Add(PosixSignalRegistration.Create(sig, OnSignal));
    }

    /// <summary>
    /// Defers stop signals until the returned scope is disposed: a change that must undo
    /// itself rather than stop half-way. Disposing twice is harmless.
    /// </summary>
    public static IDisposable Defer()
    {
        lock (Gate) _deferring++;
        return new Deferral();
    }

    sealed class Deferral : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            lock (Gate) _deferring--;
        }
    }

    static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch { PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, _ => 1 };
        lock (Gate)
        {
            _signal = number;
            if (_deferring == 0 && _signalChild is null)
            {
                // Nothing to undo and nobody to wait for: stop now (a read or a wait would
                // otherwise go on, as the signal is cancelled).
                Console.Out.Flush();
                Console.Error.WriteLine($"{_program}: stopped by signal {number}");
                Environment.Exit(ExitCodeFor(number));
            }
        }
        Stop.Cancel();
        // Passed on, Ctrl-C's SIGINT too: the terminal sent it to the child as well only if
        // the child existed then, and a signal handled late (a loaded machine) may find a
        // child started after it. A second SIGINT is harmless; none would let apk run on.
        _signalChild?.Invoke(number);
    }

    /// <summary>
    /// How to pass a stop signal (its number) to the child process while it runs, or null when
    /// none runs: the process adapter that started the child signals it (kill(2) lives there).
    /// </summary>
    public static void SetChild(Action<int>? signalChild) => _signalChild = signalChild;

    /// <summary>
    /// Throws the documented interruption error when <paramref name="cancel"/> was cancelled:
    /// call at safe points before the switch. The token says whether to stop; the signal's
    /// number, recorded with it, only names the cause and the exit code.
    /// </summary>
    public static void ThrowIfCancelled(CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested)
            throw new ApkgenException($"interrupted by signal {Signal}; nothing was changed",
                "run the command again when you are ready", ExitCodeFor(Signal));
    }
}
