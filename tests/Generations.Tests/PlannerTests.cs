using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Generations.Tests;

public class PlannerTests
{
    static Generation Gen(string id, BootState state = BootState.Good, string? parent = null, bool pinned = false) =>
        new(id, new GenerationInfo { Id = id, State = state, Parent = parent, Pinned = pinned }, HasMetadata: true, HasRoot: true, ReadOnly: true);

    static LayoutState State(string?[] slots, params Generation[] gens) =>
        new(new TopLevel("/top"), gens, new LinksGeneration("L1", slots), null, ["L0", "L1"], false);

    [Fact]
    public void A_new_generation_takes_slot_0_and_shifts_the_others_like_the_guides_sysmut() =>
        Assert.Equal(["g2", "g1", "g0"], LinksPlanner.Promote("g2", ["g1", "g0", "g0"], 3));

    [Fact]
    public void A_first_commit_after_init_keeps_every_slot_resolving() =>
        Assert.Equal(["g2", "g1", "g1", "g1"], LinksPlanner.Promote("g2", ["g1", "g1", "g1", "g1"], 4));

    [Fact]
    public void Rollback_moves_a_fallback_to_slot_0_without_duplicates() =>
        Assert.Equal(["g1", "g3", "g2", "g2"], LinksPlanner.Rollback(["g3", "g2", "g1", "g1"], 2, 4));

    [Fact]
    public void Demotion_puts_the_newest_good_generation_first_and_drops_the_demoted_one() =>
        Assert.Equal(["g1", "g2", "g0"], LinksPlanner.Demote(["g3", "g2", "g1", "g0"], "g3", 3, id => id != "g2"));

    [Fact]
    public void The_base_is_slot_0_when_slot_0_is_booted()
    {
        var s = State(["g2", "g1"], Gen("g1"), Gen("g2"));
        Assert.Equal(new BaseChoice("g2", null), BaseSelector.Choose(s, "g2", null));
    }

    [Fact]
    public void The_base_is_slot_0_when_nothing_of_this_layout_is_booted()
    {
        var s = State(["g2", "g1"], Gen("g1"), Gen("g2"));
        Assert.Equal("g2", BaseSelector.Choose(s, null, null).Id);
    }

    [Fact]
    public void A_second_change_before_reboot_stacks_on_the_first_and_says_so()
    {
        var s = State(["g3", "g2", "g1"], Gen("g1"), Gen("g2", BootState.Pending, "g1"), Gen("g3", BootState.Pending, "g2"));
        var choice = BaseSelector.Choose(s, "g1", null);
        Assert.Equal("g3", choice.Id);
        Assert.Contains("stacking", choice.Note);
    }

    [Fact]
    public void When_a_fallback_is_booted_the_change_is_based_on_the_running_generation()
    {
        var s = State(["g3", "g2", "g1"], Gen("g1"), Gen("g2"), Gen("g3"));
        var choice = BaseSelector.Choose(s, "g2", null);
        Assert.Equal("g2", choice.Id);
        Assert.Contains("running", choice.Note);
    }

    [Fact]
    public void A_bad_generation_is_never_a_base()
    {
        var s = State(["g3", "g2"], Gen("g2"), Gen("g3", BootState.Bad));
        Assert.Equal("g2", BaseSelector.Choose(s, null, null).Id);
        Assert.Throws<ApkgenException>(() => BaseSelector.Choose(s, null, "g3"));
    }

    [Fact]
    public void From_accepts_a_slot_number_or_an_id_prefix()
    {
        var s = State(["g30", "g20"], Gen("g20"), Gen("g30"));
        Assert.Equal("g20", BaseSelector.Choose(s, null, "1").Id);
        Assert.Equal("g30", BaseSelector.Choose(s, null, "g3").Id);
        Assert.Equal(ExitCodes.DataError, Assert.Throws<ApkgenException>(() => BaseSelector.Choose(s, null, "g")).ExitCode);
    }

    [Fact]
    public void Gc_keeps_slots_pending_booted_and_pinned_generations_and_deletes_the_rest()
    {
        var gens = new[] { Gen("g0"), Gen("g1"), Gen("g2", pinned: true), Gen("g3"), Gen("g4"), Gen("g5") };
        var s = new LayoutState(new TopLevel("/top"), gens, new LinksGeneration("L2", ["g5", "g4"]),
            new LinksGeneration("L3", ["g3", "g5"]), ["L1", "L2", "L3"], HasStaleNext: true);
        var plan = GcPlan.Make(s, bootedId: "g1");
        Assert.Equal(["g0"], plan.DeleteGenerations);
        Assert.Equal(["L1"], plan.DeleteLinks);
        Assert.True(plan.ClearNext);
        Assert.Equal("booted", plan.Kept["g1"]);
        Assert.Equal("pinned", plan.Kept["g2"]);
        Assert.Equal("pending slot 0", plan.Kept["g3"]);
    }

    [Fact]
    public void The_fstab_template_is_rendered_as_the_guides_sed_does_and_its_commons_are_found()
    {
        const string template = """
            UUID=u / btrfs subvol=CURRENT_SNAPSHOTS_PATH/@,ro,noatime 0 0
            UUID=u /var/log btrfs subvol=/commons/@var@log,rw,noatime 0 0
            # UUID=x /boot/efi vfat rw 0 2
            tmpfs /tmp tmpfs mode=1777 0 0
            """;
        Assert.Contains("subvol=/snapshots/ID/@,ro", Fstab.Render(template, "ID"));
        Assert.Equal([("/commons/@var@log", "/var/log")], Fstab.Commons(template).ToArray());
    }
    [Fact]
    public void Gc_keeps_every_generation_a_slot_after_a_gap_names()
    {
        var s = State(["g3", null, "g1", "g0"], Gen("g0"), Gen("g1"), Gen("g2"), Gen("g3"));
        var plan = GcPlan.Make(s, null);
        Assert.Equal(["g2"], plan.DeleteGenerations);
        Assert.Equal([1], s.Current.Gaps);
    }

    [Fact]
    public void Gc_after_a_switch_says_nothing_when_it_deleted_only_links_directories()
    {
        var s = State(["g1", "g0"], Gen("g0"), Gen("g1"));
        var plan = GcPlan.Make(s, null);
        Assert.Equal(["L0"], plan.DeleteLinks);
        Assert.Null(plan.AfterSwitchSummary());
        Assert.Equal("gc: deleted generation g0, which no slot uses any more",
            GcPlan.Make(State(["g1", "g1"], Gen("g0"), Gen("g1")), null).AfterSwitchSummary());
    }

    [Fact]
    public void A_base_must_be_a_committed_generation_not_a_writable_leftover()
    {
        var leftover = Gen("g9") with { ReadOnly = false };
        var s = State(["g1", "g0"], Gen("g0"), Gen("g1"), leftover);
        var e = Assert.Throws<ApkgenException>(() => BaseSelector.Choose(s, null, "g9"));
        Assert.Equal(ExitCodes.DataError, e.ExitCode);
        Assert.Contains("was never committed", e.Message);
    }

    [Fact]
    public void A_base_with_unreadable_metadata_is_refused_because_its_boot_state_is_unknown()
    {
        var s = State(["g1", "g0"], Gen("g0"), Gen("g1") with { MetadataError = "line 2: expected key = value" });
        var e = Assert.Throws<ApkgenException>(() => BaseSelector.Choose(s, null, null));
        Assert.Contains("unreadable metadata", e.Message);
    }
}
