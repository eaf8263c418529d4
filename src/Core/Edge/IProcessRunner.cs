namespace Apkgen.Core.Edge;

/// <summary>Runs other programs.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs with apkgen's own terminal: standard input, output and error are inherited, so
    /// apk's progress bar, prompts and colours work. Returns the exit code (128+N when killed
    /// by signal N).
    /// </summary>
    int RunInteractive(ProcessSpec spec);

    /// <summary>Runs with output captured (for tools whose output apkgen reads).</summary>
    ProcessResult RunCaptured(ProcessSpec spec);

    /// <summary>
    /// Runs with an empty standard input and both output streams captured together; a
    /// process still running after <paramref name="timeout"/> is killed with its children
    /// (a health check must never hang the boot). A program that cannot start raises
    /// <see cref="System.ComponentModel.Win32Exception"/>.
    /// </summary>
    LimitedRunResult RunWithTimeout(ProcessSpec spec, TimeSpan timeout);
}
