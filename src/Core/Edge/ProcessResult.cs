namespace Apkgen.Core.Edge;

/// <summary>What a captured run produced.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
