using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;
using Apkgen.TestSupport;
using NSubstitute;

namespace Apkgen.Generations.Tests;

/// <summary>apkgen's use cases called as its handlers call them, with strict substitutes (UseCaseRig) and no process started.</summary>
public class UseCaseTests
{
    [Fact]
    public void Init_bootstraps_the_first_generation_into_every_slot_and_reports_the_switch_once()
    {
        using var rig = new UseCaseRig();
        var result = rig.Init();
        Assert.Equal(rig.Top, result.Device);
        Assert.All(result.State.Current.Slots, s => Assert.Equal(rig.First, s));
        Assert.Equal(BootState.Pending, result.State.Find(rig.First)!.State);
        Assert.True(rig.Btrfs.IsReadOnly(rig.TopLevel.RootSubvolumePath(rig.First)));
    }

    [Fact]
    public void An_apk_add_reads_the_layout_once_and_the_mounts_once()
    {
        using var rig = new UseCaseRig();
        rig.Init();
        var firstRoot = rig.TopLevel.RootSubvolumePath(rig.First);

        var result = rig.AddPackage("nginx");

        Assert.Equal(ChangeOutcome.Committed, result.Outcome);
        // Every LayoutStore.Read asks IsSubvolume once for each generation's @: one read of the layout.
        rig.Btrfs.Received(1).IsSubvolume(firstRoot);
        rig.Mounts.Received(1).ReadMountInfo();
        rig.Mounts.Received(1).ReadKernelCmdline();
        var state = rig.Read();
        Assert.Equal(result.GenerationId, state.Current.Slots[0]);
        Assert.Equal(rig.First, state.Current.Slots[1]);
        Assert.Contains($"new generation {result.GenerationId} (from {rig.First}): 1 added", rig.Err.ToString());
    }

    [Fact]
    public void A_trial_commit_that_falls_back_to_counter_mode_refreshes_the_menu_and_runs_gc_once()
    {
        var output = Path.Combine(Path.GetTempPath(), "apkgen-usecase-" + Guid.NewGuid().ToString("N"), "EFI/refind/apkgen.conf");
        using var rig = new UseCaseRig(c => c with
        {
            Bootcheck = c.Bootcheck with { Mode = BootcheckMode.Trial },
            Refind = new RefindSection
            {
                Output = output,
                Volume = "ESP", Root = "UUID=test", Resume = "none", AddInclude = false,
            },
        });
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            rig.Init();
            var layouts = new List<LayoutState>();

            // This machine has no efivars: arming cannot set BootNext, so the trial falls back.
            var result = rig.AddPackage("nginx", layouts.Add, kernel: true);

            Assert.Equal(ChangeOutcome.Committed, result.Outcome);
            Assert.Contains("falling back to counter mode", rig.Err.ToString());
            var after = Assert.Single(layouts);
            Assert.Equal(result.GenerationId, after.Current.Slots[0]);
            Assert.Null(after.Pending);
            var updates = rig.Err.ToString().Split('\n').Where(l => l.Contains("boot menu updated: ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(updates);
            Assert.Equal(updates.Distinct().Count(), updates.Count);
            Assert.True(File.Exists(output));
            // gc ran once: it deleted the links directory init made, with one sync.
            rig.Btrfs.Received(1).SyncAndClean(rig.Top);
            Assert.Equal([after.Current.Id], rig.Read().LinksIds);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(output)))!, recursive: true);
        }
    }

    [Fact]
    public void A_failed_change_is_discarded_and_current_is_unchanged()
    {
        using var rig = new UseCaseRig();
        rig.Init();
        var before = rig.Read();

        var result = ChangeUseCase.Run(rig.Ctx, new ChangeRequest(null, null, "exec false", TrackTreeChanges: false),
            _ => 3, _ => throw new Xunit.Sdk.XunitException("a failed change is not asked whether it changed anything"), null, default);

        Assert.Equal(new ChangeResult(ChangeOutcome.Failed, 3, result.GenerationId), result);
        Assert.False(Directory.Exists(rig.TopLevel.SnapshotDirPath(result.GenerationId)));
        Assert.Equal(before.Current.Slots, rig.Read().Current.Slots);
        Assert.Equal(before.Current.Id, rig.Read().Current.Id);
    }

    [Fact]
    public void A_change_that_altered_nothing_makes_no_generation()
    {
        using var rig = new UseCaseRig();
        rig.Init();

        var result = ChangeUseCase.Run(rig.Ctx, new ChangeRequest(null, null, "apk upgrade", TrackTreeChanges: false), _ => 0, tx => !tx.Packages().IsEmpty, null, default);

        Assert.Equal(ChangeOutcome.NoChange, result.Outcome);
        Assert.False(Directory.Exists(rig.TopLevel.SnapshotDirPath(result.GenerationId)));
        Assert.Contains("the change altered nothing: no new generation", rig.Err.ToString());
        Assert.Equal([rig.First], rig.Read().Generations.Select(g => g.Id));
    }

    [Fact]
    public void A_change_cancelled_while_it_runs_is_discarded_and_current_is_unchanged()
    {
        using var rig = new UseCaseRig();
        rig.Init();
        var before = rig.Read();
        using var stop = new CancellationTokenSource();

        var result = ChangeUseCase.Run(rig.Ctx, new ChangeRequest(null, null, "shell"), _ => { stop.Cancel(); return 0; },
            _ => throw new Xunit.Sdk.XunitException("an interrupted change is not asked whether it changed anything"), null, stop.Token);

        Assert.Equal(ChangeOutcome.Interrupted, result.Outcome);
        Assert.False(Directory.Exists(rig.TopLevel.SnapshotDirPath(result.GenerationId)));
        Assert.Equal(before.Current.Slots, rig.Read().Current.Slots);
        Assert.Equal(before.Current.Id, rig.Read().Current.Id);
        // Every mount the transaction made (a read-only remount is not one more) was undone.
        var mounts = rig.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(Edge.IMounts.Mount)
            && !((Edge.MountFlags)c.GetArguments()[3]!).HasFlag(Edge.MountFlags.Remount));
        var unmounts = rig.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(Edge.IMounts.Unmount));
        Assert.True(mounts > 0);
        Assert.Equal(mounts, unmounts);
    }

    [Fact]
    public void Rollback_promotes_the_fallback_slot_and_reports_the_switch_once()
    {
        using var rig = new UseCaseRig();
        rig.Init();
        var added = rig.AddPackage("nginx").GenerationId;
        var layouts = new List<LayoutState>();

        var plan = RollbackUseCase.Run(rig.Ctx, 1, null, layouts.Add, default);

        Assert.Equal((1, rig.First, false), (plan.Slot, plan.GenerationId, plan.DropPending));
        Assert.Equal([rig.First, added], plan.Slots!.Take(2));
        var state = rig.Read();
        Assert.Equal(rig.First, state.Current.Slots[0]);
        Assert.Equal(added, state.Current.Slots[1]);
        Assert.Equal(state.Current.Id, Assert.Single(layouts).Current.Id);
        Assert.Equal(state.Current.Slots, layouts[0].Current.Slots);
        Assert.Contains($"rolled back: {rig.First} is in slot 0 (was slot 1); reboot to use it", rig.Err.ToString());
    }

    [Fact]
    public void Rollback_of_a_slot_that_is_already_slot_0_changes_nothing()
    {
        using var rig = new UseCaseRig();
        rig.Init();
        var before = rig.Read();

        var plan = RollbackUseCase.Run(rig.Ctx, 2, null, _ => throw new Xunit.Sdk.XunitException("nothing was switched"), default);

        Assert.Null(plan.Slots);
        Assert.Equal(before.Current.Slots, rig.Read().Current.Slots);
        Assert.Equal(before.Current.Id, rig.Read().Current.Id);
    }

    [Fact]
    public void Pin_and_unpin_write_the_pin_and_resolve_a_slot_number()
    {
        using var rig = new UseCaseRig();
        rig.Init();

        Assert.Equal(rig.First, PinUseCase.Run(rig.Ctx, "0", pin: true, (_, p) => p, default));
        Assert.True(rig.Read().Find(rig.First)!.Info.Pinned);
        Assert.Equal(rig.First, PinUseCase.Run(rig.Ctx, rig.First[..10], pin: false, (_, p) => p, default));
        Assert.False(rig.Read().Find(rig.First)!.Info.Pinned);
    }

    [Fact]
    public void Gc_dry_run_shows_the_plan_and_deletes_nothing_then_gc_deletes_it()
    {
        using var rig = new UseCaseRig(c => c with { Gc = new GcSection { Auto = false } });
        rig.Init();
        // Booted from elsewhere: gc never deletes the booted generation, and here none is.
        rig.BootedId = null;
        rig.AddPackage("a");
        var b = rig.AddPackage("b").GenerationId;
        rig.AddPackage("c");
        rig.AddPackage("d");
        var shown = new List<GcPlan>();
        var linksBefore = rig.Read().LinksIds.Count;

        var dry = GcUseCase.Run(rig.Ctx, null, dryRun: true, (_, _, p) => shown.Add(p), default);

        Assert.Equal([rig.First], dry.DeleteGenerations);
        Assert.Equal(linksBefore - 1, dry.DeleteLinks.Count);
        Assert.Same(dry, Assert.Single(shown));
        Assert.Equal(linksBefore, rig.Read().LinksIds.Count);

        var real = GcUseCase.Run(rig.Ctx, null, dryRun: false, (_, _, _) => { }, default);

        Assert.Equal(dry.DeleteGenerations, real.DeleteGenerations);
        Assert.Equal(dry.DeleteLinks, real.DeleteLinks);
        var state = rig.Read();
        Assert.Null(state.Find(rig.First));
        Assert.NotNull(state.Find(b));
        Assert.Equal([state.Current.Id], state.LinksIds);
    }

    [Fact]
    public void Rollback_plan_refuses_a_slot_that_does_not_exist()
    {
        var top = new TopLevel("/x");
        var gen = new Generation("g1", GenerationInfo.Implicit("g1"), false, true, true);
        var state = new LayoutState(top, [gen], new LinksGeneration("l1", ["g1", "g1"]), null, ["l1"], false);

        var e = Assert.Throws<ApkgenException>(() => RollbackPlan.Make(state, 2, 2));

        Assert.Equal("there is no fallback slot 2", e.Message);
        Assert.Equal(ExitCodes.DataError, e.ExitCode);
    }
}
