using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.BootCheck.Tests;

/// <summary>Layouts built in memory for the planner, and plans rendered as text to compare.</summary>
static class Plans
{
    public static readonly DateTime BootedAt = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    public static Generation Gen(string id, BootState state, int attemptsLeft = 0, DateTime? created = null) =>
        new(id, new GenerationInfo { Id = id, State = state, AttemptsLeft = attemptsLeft, Created = created ?? BootedAt.AddDays(-1) }, true, true, true);

    public static LayoutState Layout(string[] current, string[]? pending, params Generation[] generations) =>
        new(new TopLevel("/top"), generations, new LinksGeneration("Lcur", current),
            pending is null ? null : new LinksGeneration("Lpen", pending), ["Lcur"], false);

    public static BootFacts Facts(LayoutState state, string? booted, string? link = "current", int? slot = 0,
        HealthFailureAction onFailure = HealthFailureAction.Reboot, int attempts = 3) =>
        new(state, new Booted(booted, booted is null ? null : link, booted is null ? null : slot),
            new BootcheckSection { Attempts = attempts, OnFailure = onFailure }, 4, BootedAt);

    public static string Render(BootPlan plan) =>
        string.Join("\n", plan.Steps.Select(s => s switch
        {
            SpendAttempt a => $"spend {a.Id} -> {a.AttemptsLeft} left",
            SetBootState b => $"state {b.Id} {b.State.ToString().ToLowerInvariant()}: {b.Reason}",
            SwitchCurrent c => $"current = {string.Join(' ', c.Slots)}",
            PromotePending p => $"current = links/{p.LinksId}",
            DropPending => "drop pending",
            RefreshBootMenu => "refresh boot menu",
            RecordEvent e => $"event{(e.Notify ? " (notify)" : "")}: {e.Message}",
            Reboot r => $"reboot: {r.Why}",
            _ => s.ToString()!,
        }));

    public static HealthReport Pass(int n = 2) =>
        new(Enumerable.Range(1, n).Select(i => new HealthResult($"{i:00}-check", 0, false, "", TimeSpan.FromSeconds(0.1))).ToList());

    public static HealthReport Fail(string name = "20-network", int code = 1, string output = "no route") =>
        new([new HealthResult("10-disk", 0, false, "", TimeSpan.FromSeconds(0.1)), new HealthResult(name, code, false, output, TimeSpan.FromSeconds(0.2))]);

    public static HealthReport Hung(string name = "30-web") =>
        new([new HealthResult(name, null, true, "", TimeSpan.FromSeconds(60))]);
}
