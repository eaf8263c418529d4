namespace Apkgen.Core.Edge;

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
