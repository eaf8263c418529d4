using Apkgen.Core.Boot;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using static Apkgen.BootCheck.Tests.Plans;

namespace Apkgen.BootCheck.Tests;

/// <summary>The pure rules: every case of DESIGN's "Boot assessment", expected plans inline.</summary>
public class BootAssessmentTests
{
    static readonly Generation Good = Gen("G", BootState.Good);
    static readonly Generation Old = Gen("O", BootState.Good);

    [Fact]
    public void A_pending_generation_booted_from_slot_0_spends_one_attempt()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 3), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "N"));
        Assert.Equal("spend N -> 2 left", Render(plan));
        Assert.Equal(["N is pending: boot attempt 1 of 3"], plan.Messages);
    }

    [Fact]
    public void The_last_attempt_is_spent_and_the_boot_goes_on()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 1), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "N"));
        Assert.Equal("spend N -> 0 left", Render(plan));
        Assert.False(plan.Reboots);
        Assert.Equal(["N is pending: boot attempt 3 of 3 (the last one)"], plan.Messages);
    }

    [Fact]
    public void A_boot_with_no_attempt_left_demotes_the_generation_and_reboots()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 0), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "N"));
        Assert.Equal("""
            current = G O O O
            state N bad: no boot attempt left: 3 boot(s) did not pass the health checks
            refresh boot menu
            event (notify): demoted N: no boot attempt left: 3 boot(s) did not pass the health checks; slot 0 is now G
            reboot: N was demoted
            """, Render(plan));
    }

    [Fact]
    public void Demotion_puts_the_newest_good_generation_in_slot_0_and_keeps_an_untried_one_as_a_fallback()
    {
        var state = Layout(["N2", "N1", "G", "O"], null, Gen("N2", BootState.Pending, 0), Gen("N1", BootState.Pending, 3), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "N2"));
        Assert.StartsWith("current = G N1 O O\nstate N2 bad:", Render(plan));
    }

    [Fact]
    public void A_good_generation_needs_nothing_at_boot()
    {
        var state = Layout(["G", "O", "O", "O"], null, Good, Old);
        var plan = BootAssessment.Early(Facts(state, "G"));
        Assert.True(plan.IsEmpty);
        Assert.Equal(["G is good: nothing to count"], plan.Messages);
    }

    [Fact]
    public void A_root_from_outside_the_layout_is_not_assessed()
    {
        var state = Layout(["G", "O", "O", "O"], null, Good, Old);
        Assert.True(BootAssessment.Early(Facts(state, null)).IsEmpty);
        Assert.True(BootAssessment.Late(Facts(state, null), Fail()).IsEmpty);
    }

    [Fact]
    public void A_pending_generation_booted_by_hand_from_a_fallback_slot_counts_no_attempt()
    {
        var state = Layout(["N2", "N1", "G", "O"], null, Gen("N2", BootState.Pending, 3), Gen("N1", BootState.Pending, 0), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "N1", slot: 1));
        Assert.True(plan.IsEmpty);
        Assert.Equal(["N1 is pending but was booted from current slot 1 by hand: no attempt is counted"], plan.Messages);
    }

    [Fact]
    public void A_fallback_booted_by_hand_that_fails_its_health_checks_is_not_demoted()
    {
        var state = Layout(["N2", "N1", "G", "O"], null, Gen("N2", BootState.Pending, 3), Gen("N1", BootState.Pending, 2), Good, Old);
        var plan = BootAssessment.Late(Facts(state, "N1", slot: 1), Fail());
        Assert.Equal("event (notify): N1 (booted from current slot 1 by hand) failed: health check 20-network exited with 1 (no route); not demoted for that",
            Render(plan));
    }

    [Fact]
    public void The_first_generation_spends_its_attempts_like_any_other()
    {
        var state = Layout(["F", "F", "F", "F"], null, Gen("F", BootState.Pending, 3));
        Assert.Equal("spend F -> 2 left", Render(BootAssessment.Early(Facts(state, "F"))));
    }

    [Fact]
    public void The_only_generation_is_never_demoted_into_nothing()
    {
        var state = Layout(["F", "F", "F", "F"], null, Gen("F", BootState.Pending, 0));
        Assert.Equal("event (notify): F failed (no boot attempt left: 3 boot(s) did not pass the health checks) but no other generation exists to fall back to: it is kept",
            Render(BootAssessment.Early(Facts(state, "F"))));
        Assert.Equal("event (notify): F failed (health check 20-network exited with 1 (no route)) but no other generation exists to fall back to: it is kept",
            Render(BootAssessment.Late(Facts(state, "F"), Fail())));
    }

    [Fact]
    public void Passing_health_checks_mark_a_pending_generation_good()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 2), Good, Old);
        Assert.True(BootAssessment.NeedsHealthChecks(Facts(state, "N")));
        Assert.Equal("""
            state N good: passed 2 health checks
            event: N passed 2 health checks: marked good
            """, Render(BootAssessment.Late(Facts(state, "N"), Pass())));
    }

    [Fact]
    public void A_failed_health_check_demotes_and_reboots()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 2), Good, Old);
        Assert.Equal("""
            current = G O O O
            state N bad: health check 20-network exited with 1 (no route)
            refresh boot menu
            event (notify): demoted N: health check 20-network exited with 1 (no route); slot 0 is now G
            reboot: N was demoted
            """, Render(BootAssessment.Late(Facts(state, "N"), Fail())));
    }

    [Fact]
    public void A_hung_health_check_counts_as_failed()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 2), Good, Old);
        var plan = BootAssessment.Late(Facts(state, "N"), Hung());
        Assert.Contains("state N bad: health check 30-web timed out after 60 s and was killed", Render(plan));
        Assert.True(plan.Reboots);
    }

    [Fact]
    public void With_on_failure_warn_a_failed_check_only_warns()
    {
        var state = Layout(["N", "G", "O", "O"], null, Gen("N", BootState.Pending, 2), Good, Old);
        Assert.Equal("event (notify): N failed: health check 20-network exited with 1 (no route); [bootcheck] on_failure = warn: it stays pending",
            Render(BootAssessment.Late(Facts(state, "N", onFailure: Apkgen.Core.Configuration.HealthFailureAction.Warn), Fail())));
    }

    [Fact]
    public void A_good_generation_runs_no_health_checks()
    {
        var state = Layout(["G", "O", "O", "O"], null, Good, Old);
        Assert.False(BootAssessment.NeedsHealthChecks(Facts(state, "G")));
        Assert.True(BootAssessment.Late(Facts(state, "G"), Fail()).IsEmpty);
    }

    [Fact]
    public void A_trial_boot_through_pending_counts_no_attempt()
    {
        var state = Layout(["G", "O", "O", "O"], ["T", "G", "O", "O"], Gen("T", BootState.Pending, 3), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "T", link: "pending"));
        Assert.True(plan.IsEmpty);
        Assert.Equal(["trial boot of T: the late check decides whether it becomes current"], plan.Messages);
    }

    [Fact]
    public void A_boot_of_anything_else_while_a_trial_is_pending_means_the_trial_failed()
    {
        var state = Layout(["G", "O", "O", "O"], ["T", "G", "O", "O"], Gen("T", BootState.Pending, 3), Good, Old);
        Assert.Equal("""
            state T bad: its trial boot did not come up (this boot runs G)
            drop pending
            refresh boot menu
            event (notify): trial of T failed: its trial boot did not come up (this boot runs G); it is marked bad, current is unchanged
            """, Render(BootAssessment.Early(Facts(state, "G"))));
    }

    [Fact]
    public void A_trial_committed_during_this_boot_has_not_failed_yet()
    {
        var state = Layout(["G", "O", "O", "O"], ["T", "G", "O", "O"], Gen("T", BootState.Pending, 3, created: BootedAt.AddMinutes(5)), Good, Old);
        var plan = BootAssessment.Early(Facts(state, "G"));
        Assert.True(plan.IsEmpty);
        Assert.Contains("pending T was committed during this boot: it has not been tried yet", plan.Messages);
    }

    [Fact]
    public void A_trial_that_passes_its_health_checks_becomes_current()
    {
        var state = Layout(["G", "O", "O", "O"], ["T", "G", "O", "O"], Gen("T", BootState.Pending, 3), Good, Old);
        Assert.Equal("""
            current = links/Lpen
            drop pending
            state T good: passed its trial boot and 1 health check
            refresh boot menu
            event: T passed its trial boot and 1 health check: it is current now
            """, Render(BootAssessment.Late(Facts(state, "T", link: "pending"), Pass(1))));
    }

    [Fact]
    public void A_trial_that_fails_its_health_checks_is_marked_bad_and_the_machine_reboots_into_current()
    {
        var state = Layout(["G", "O", "O", "O"], ["T", "G", "O", "O"], Gen("T", BootState.Pending, 3), Good, Old);
        Assert.Equal("""
            state T bad: health check 20-network exited with 1 (no route)
            drop pending
            refresh boot menu
            event (notify): trial of T failed: health check 20-network exited with 1 (no route); it is marked bad, rebooting into current
            reboot: the trial of T failed
            """, Render(BootAssessment.Late(Facts(state, "T", link: "pending"), Fail())));
    }

    [Fact]
    public void After_efivars_were_missing_the_fallen_back_generation_is_counted()
    {
        // Arming fell back: pending became current, so this is counter mode on slot 0.
        var state = Layout(["T", "G", "O", "O"], null, Gen("T", BootState.Pending, 3), Good, Old);
        Assert.Equal("spend T -> 2 left", Render(BootAssessment.Early(Facts(state, "T"))));
    }
}
