namespace Apkgen.Generations;

/// <summary>
/// Fault injection for the crash tests, in test builds only (<see cref="TestHooks"/>): when
/// <c>APKGEN_FAULT_STAGE</c> names the stage being passed, the process stops itself
/// (<c>APKGEN_FAULT_ACTION=stop</c>: SIGSTOP, so a test can copy the disk image at that exact
/// boundary) or dies (<c>kill</c>, the default: SIGKILL). A shipped executable has none of it.
/// </summary>
public static class Faults
{
    static readonly string? Target = TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_FAULT_STAGE") : null;

    /// <summary>Marks a stage boundary.</summary>
    public static void Stage(string name)
    {
        if (!TestHooks.Enabled || Target is null || Target != name) return;
        var stop = Environment.GetEnvironmentVariable("APKGEN_FAULT_ACTION") == "stop";
        Console.Out.Flush();
        Console.Error.WriteLine($"apkgen: fault injection: {(stop ? "stopping" : "killing")} at stage {name}");
        Linux.Native.kill(Environment.ProcessId, stop ? 19 : 9);
    }
}
