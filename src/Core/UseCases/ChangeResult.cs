namespace Apkgen.Core.UseCases;

/// <summary>The end of a change: how, the change's exit code, and the generation it made or dropped.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="ChangeExitCode">The change's own exit code (0 unless <see cref="ChangeOutcome.Failed"/>).</param>
/// <param name="GenerationId">The new generation's id (committed or discarded).</param>
public sealed record ChangeResult(ChangeOutcome Outcome, int ChangeExitCode, string GenerationId);
