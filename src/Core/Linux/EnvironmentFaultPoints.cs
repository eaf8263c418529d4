using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary>
/// Fault injection for the crash tests, in test builds only (<see cref="TestHooks"/>): when
/// <c>APKGEN_FAULT_STAGE</c> names the stage being passed, the process stops itself
/// (<c>APKGEN_FAULT_ACTION=stop</c>: SIGSTOP, so a test can copy the disk image at that exact
/// boundary) or dies (<c>kill</c>, the default: SIGKILL). The composition root builds it only
/// inside a branch on <see cref="TestHooks.Enabled"/>, so a publish trims this type and the
/// variables' names away.
/// </summary>
public sealed class EnvironmentFaultPoints : IFaultPoints
{
    readonly string _target;
    readonly bool _stop;

    EnvironmentFaultPoints(string target, bool stop)
    {
        _target = target;
        _stop = stop;
    }

    /// <summary>The fault points the environment asks for, or none.</summary>
    public static IFaultPoints FromEnvironment()
    {
        var target = TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_FAULT_STAGE") : null;
        if (target is null) return NoFaultPoints.Instance;
        var stop = (TestHooks.Enabled ? Environment.GetEnvironmentVariable("APKGEN_FAULT_ACTION") : null) == "stop";
        return new EnvironmentFaultPoints(target, stop);
    }

    /// <inheritdoc />
    public void Pass(string stage)
    {
        if (stage != _target) return;
        Console.Out.Flush();
        Console.Error.WriteLine($"apkgen: fault injection: {(_stop ? "stopping" : "killing")} at stage {stage}");
        Native.kill(Environment.ProcessId, _stop ? 19 : 9);
    }
}
