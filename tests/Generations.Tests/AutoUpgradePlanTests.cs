using Apkgen.Core.Auto;
using Apkgen.Core.Configuration;

namespace Apkgen.Generations.Tests;

/// <summary>The decision of apkgen auto-upgrade, from its facts alone (apkgen.conf(5), [auto]).</summary>
public class AutoUpgradePlanTests
{
    static readonly DateTime Now = new(2026, 12, 2, 3, 30, 0, DateTimeKind.Utc);

    static AutoUpgradeFacts Facts(string policy, DateTime? lastRun = null, string? waiting = null, bool stack = false,
        string window = "03:00-05:00", string time = "03:30", string interval = "1d", bool forced = false) =>
        new(new AutoSection
        {
            Policy = policy,
            Window = UpgradeWindow.Parse(window)!.Value,
            Interval = AutoSection.ParseInterval(interval)!.Value,
            Stack = stack,
        }, Now, TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), lastRun, waiting, forced);

    static string Plan(AutoUpgradeFacts f) => AutoUpgradePlan.Make(f).Render();

    [Fact]
    public void Policy_none_does_nothing_and_writes_no_stamp_even_when_due()
    {
        Assert.Equal("""
            work: none
            reboot: no
            stamp: no
            why: policy none: unattended upgrades are off ([auto] policy in apkgen.conf)

            """, Plan(Facts("none", waiting: "G2")));
    }

    [Fact]
    public void Policy_check_on_a_first_run_checks_and_stamps_but_never_reboots()
    {
        Assert.Equal("""
            work: check
            reboot: no
            stamp: yes
            why: policy check, due (no run recorded yet)

            """, Plan(Facts("check")));
    }

    [Fact]
    public void Policy_check_still_checks_while_a_staged_generation_waits_since_it_changes_nothing()
    {
        Assert.Equal(AutoUpgradeWork.Check, AutoUpgradePlan.Make(Facts("check", waiting: "G2")).Work);
    }

    [Fact]
    public void Policy_stage_stages_when_due_and_never_reboots_even_inside_the_window()
    {
        Assert.Equal("""
            work: stage
            reboot: no
            stamp: yes
            why: policy stage, due (last run 2026-12-01 03:00Z, interval 1d)

            """, Plan(Facts("stage", lastRun: Now.AddHours(-24.5))));
    }

    [Fact]
    public void Policy_reboot_stages_and_reboots_inside_the_window()
    {
        Assert.Equal("""
            work: stage
            reboot: if a staged generation waits
            stamp: yes
            why: policy reboot, due (no run recorded yet); inside the window 03:00-05:00: reboot if a staged generation waits

            """, Plan(Facts("reboot")));
    }

    [Fact]
    public void Policy_reboot_outside_the_window_stages_but_does_not_reboot()
    {
        Assert.Equal("""
            work: stage
            reboot: no
            stamp: yes
            why: policy reboot, due (no run recorded yet); outside the window 03:00-05:00: no reboot now

            """, Plan(Facts("reboot", time: "14:00")));
    }

    [Fact]
    public void A_staged_generation_that_was_not_booted_is_never_stacked_on_by_default()
    {
        Assert.Equal("""
            work: none
            reboot: no
            stamp: yes
            why: policy stage, due (no run recorded yet), but generation G2 is staged and not booted yet: not stacking on it ([auto] stack = no)

            """, Plan(Facts("stage", waiting: "G2")));
    }

    [Fact]
    public void With_stack_yes_a_new_generation_is_staged_on_the_unbooted_one()
    {
        var plan = AutoUpgradePlan.Make(Facts("stage", waiting: "G2", stack: true));
        Assert.Equal(AutoUpgradeWork.Stage, plan.Work);
        Assert.Contains("stacking on G2, not booted yet ([auto] stack = yes)", plan.Why);
    }

    [Fact]
    public void Policy_reboot_with_a_waiting_generation_reboots_into_it_inside_the_window_without_stacking()
    {
        Assert.Equal("""
            work: none
            reboot: if a staged generation waits
            stamp: yes
            why: policy reboot, due (no run recorded yet), but generation G2 is staged and not booted yet: not stacking on it ([auto] stack = no); inside the window 03:00-05:00: reboot if a staged generation waits

            """, Plan(Facts("reboot", waiting: "G2")));
    }

    [Fact]
    public void A_generation_staged_outside_the_window_is_rebooted_into_at_an_hourly_run_inside_it_before_the_next_is_due()
    {
        // Staged at 14:00 the day before (the stamp); the 03:30 run is not due but reboots.
        Assert.Equal("""
            work: none
            reboot: if a staged generation waits
            stamp: no
            why: not due (last run 2026-12-01 14:00Z, interval 1d; next at 2026-12-02 14:00Z); generation G2 waits for its first boot; inside the window 03:00-05:00: reboot if a staged generation waits

            """, Plan(Facts("reboot", lastRun: Now.AddHours(-13.5), waiting: "G2")));
    }

    [Fact]
    public void Not_due_and_nothing_waiting_does_nothing_and_keeps_the_stamp()
    {
        Assert.Equal("""
            work: none
            reboot: no
            stamp: no
            why: not due (last run 2026-12-02 02:30Z, interval 1d; next at 2026-12-03 02:30Z)

            """, Plan(Facts("reboot", lastRun: Now.AddHours(-1))));
    }

    [Fact]
    public void A_run_missed_while_the_machine_was_off_happens_at_the_first_hourly_run_after_it_is_back()
    {
        // Daily at 03:00, off from the 1st to the 4th: the first hourly run, at 14:00, catches up.
        var plan = AutoUpgradePlan.Make(Facts("stage", lastRun: Now.AddDays(-3), time: "14:00"));
        Assert.Equal(AutoUpgradeWork.Stage, plan.Work);
        Assert.True(plan.WriteStamp);
        Assert.Contains("due (last run 2026-11-29 03:30Z, interval 1d)", plan.Why);
    }

    [Fact]
    public void The_interval_is_due_exactly_when_it_has_passed_and_not_a_minute_before()
    {
        Assert.Equal(AutoUpgradeWork.Check, AutoUpgradePlan.Make(Facts("check", lastRun: Now.AddHours(-12), interval: "12h")).Work);
        Assert.Equal(AutoUpgradeWork.None, AutoUpgradePlan.Make(Facts("check", lastRun: Now.AddHours(-12).AddMinutes(1), interval: "12h")).Work);
    }

    [Fact]
    public void A_stamp_in_the_future_after_the_clock_was_set_back_makes_the_run_due_rather_than_never()
    {
        Assert.Equal(AutoUpgradeWork.Check, AutoUpgradePlan.Make(Facts("check", lastRun: Now.AddDays(5))).Work);
    }

    [Fact]
    public void Now_ignores_the_interval_and_the_window()
    {
        var plan = AutoUpgradePlan.Make(Facts("reboot", lastRun: Now.AddMinutes(-5), time: "14:00", forced: true));
        Assert.Equal(AutoUpgradeWork.Stage, plan.Work);
        Assert.True(plan.Reboot);
        Assert.StartsWith("policy reboot, due (--now)", plan.Why);
    }

    [Fact]
    public void Now_still_never_stacks_on_an_unbooted_generation()
    {
        Assert.Equal(AutoUpgradeWork.None, AutoUpgradePlan.Make(Facts("stage", waiting: "G2", forced: true)).Work);
    }

    [Theory]
    [InlineData("03:00-05:00", "02:59", false)]
    [InlineData("03:00-05:00", "03:00", true)]
    [InlineData("03:00-05:00", "04:59", true)]
    [InlineData("03:00-05:00", "05:00", false)]
    [InlineData("23:00-01:00", "22:59", false)]
    [InlineData("23:00-01:00", "23:00", true)]
    [InlineData("23:00-01:00", "23:59", true)]
    [InlineData("23:00-01:00", "00:00", true)]
    [InlineData("23:00-01:00", "00:59", true)]
    [InlineData("23:00-01:00", "01:00", false)]
    [InlineData("23:00-01:00", "12:00", false)]
    [InlineData("00:00-24:00", "00:00", true)]
    [InlineData("00:00-24:00", "23:59", true)]
    [InlineData("22:30-24:00", "23:59", true)]
    [InlineData("22:30-24:00", "00:00", false)]
    public void The_window_includes_its_start_excludes_its_end_and_may_cross_midnight(string window, string time, bool inside)
    {
        Assert.Equal(inside, UpgradeWindow.Parse(window)!.Value.Contains(TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(inside, AutoUpgradePlan.Make(Facts("reboot", window: window, time: time)).Reboot);
    }

    [Theory]
    [InlineData("03:00-03:00")]
    [InlineData("3-5")]
    [InlineData("24:00-01:00")]
    [InlineData("03:60-05:00")]
    [InlineData("03:00")]
    [InlineData("03:00-05:00-07:00")]
    [InlineData("")]
    public void A_window_that_says_nothing_clear_is_refused(string window) => Assert.Null(UpgradeWindow.Parse(window));

    [Theory]
    [InlineData("1d", 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("30m", 30)]
    [InlineData("2w", 14 * 24 * 60)]
    public void Intervals_take_minutes_hours_days_and_weeks(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), AutoSection.ParseInterval(text));

    [Theory]
    [InlineData("1")]
    [InlineData("0d")]
    [InlineData("1y")]
    [InlineData("400d")]
    [InlineData("-1d")]
    [InlineData("d")]
    public void Intervals_without_a_unit_or_out_of_range_are_refused(string text) => Assert.Null(AutoSection.ParseInterval(text));

    [Fact]
    public void The_stamp_round_trips_and_an_unreadable_one_counts_as_never_run()
    {
        var stamp = new AutoUpgradeStamp(Now, "stage: generation G2 staged by apk -U upgrade");
        Assert.Equal(stamp, AutoUpgradeStamp.Parse(stamp.Render()));
        Assert.Null(AutoUpgradeStamp.Parse("[auto-upgrade]\nlast_run = yesterday\n"));
        Assert.Null(AutoUpgradeStamp.Parse("not ini"));
    }

    [Fact]
    public void Apk_simulate_output_gives_the_steps_without_their_numbers()
    {
        Assert.Equal(["Upgrading hello (1.0-r0 -> 2.0-r0)", "Installing greeter (1.0-r0)"], SimulatedUpgrade.Steps("""
            fetch http://127.0.0.1/repo/x86_64/APKINDEX.tar.gz
            (1/2) Upgrading hello (1.0-r0 -> 2.0-r0)
            (2/2) Installing greeter (1.0-r0)
            OK: 8 MiB in 16 packages
            """));
    }
}
