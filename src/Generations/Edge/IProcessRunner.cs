namespace Apkgen.Generations.Edge;

/// <summary>A process to run: the program and its arguments as a list, never a built string.</summary>
/// <param name="FileName">Program path or name looked up in PATH.</param>
/// <param name="Arguments">Arguments.</param>
/// <param name="Environment">Variables to set (null value: unset) on top of apkgen's own environment.</param>
/// <param name="WorkingDirectory">Working directory, or null for the current one.</param>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string?>? Environment = null,
    string? WorkingDirectory = null);

/// <summary>What a captured run produced.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

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
}
