namespace Apkgen.Core.UseCases;

/// <summary>What every change (apk add/del/upgrade/fix, exec, shell) takes.</summary>
/// <param name="From">--from: a slot or generation id, or null for the base rule.</param>
/// <param name="WaitSeconds">--wait: seconds to wait for the lock, or null to wait.</param>
/// <param name="Command">The command line, recorded in generation.ini.</param>
/// <param name="TrackTreeChanges">Take the baseline <see cref="Transactions.Transaction.TreeChanged"/> needs (exec, shell, apk fix).</param>
public sealed record ChangeRequest(string? From, double? WaitSeconds, string Command, bool TrackTreeChanges = true);
