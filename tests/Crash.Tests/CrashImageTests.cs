using Apkgen.TestSupport;
using Xunit.Abstractions;
using static Apkgen.TestSupport.ApkgenCli;

namespace Apkgen.Crash.Tests;

/// <summary>
/// Power cuts (CRASH-TESTING.md): apkgen stops itself at a step boundary
/// (APKGEN_FAULT_ACTION=stop), the image file is copied as it is, and once more after a forced
/// btrfs commit that flushes no file data; then each copy is checked as a reboot would see it.
/// The inspection mount is made with commit=300 before apkgen runs, and background writeback
/// is off, so only apkgen's own syncs reach the disk.
/// </summary>
public sealed class CrashImageTests(Bases bases, WritebackOff window, ITestOutputHelper log) : IClassFixture<Bases>, IClassFixture<WritebackOff>
{
    readonly WritebackOff _window = window;

    [Theory]
    [MemberData(nameof(Stages.ExecData), MemberType = typeof(Stages))]
    public void A_power_cut_at_any_step_of_a_commit_leaves_a_clean_filesystem_with_the_old_or_the_new_generation_complete(string stage)
    {
        var failures = new List<string>();
        foreach (var (copy, forced) in TakeCopies(bases.ExecBaseImage, stage, bases.DefaultConfig, ["exec", "--", "/bin/sh", "-c", Change.Script]))
            using (copy)
            {
                var what = $"{stage}{(forced ? " + forced commit" : "")}";
                try
                {
                    var content = CheckCopy(copy, what, 4, bases.DefaultConfig, Stages.AtOrAfter(stage, "gc-sync"),
                        stage == "changed" && forced ? top => AssertTheModelBites(top, what) : null);
                    log.WriteLine($"power cut at {what}: {content} generation");
                    if (Stages.AtOrAfter(stage, "sync2") && content != Content.New)
                        failures.Add($"{what}: apkgen had passed sync2 (the switch is durable) but current is the old generation");
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    log.WriteLine($"power cut at {what}: FAILED {e.Message}");
                    failures.Add(e.Message);
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Stages.GcData), MemberType = typeof(Stages))]
    public void A_power_cut_at_any_step_of_gc_leaves_current_intact_and_the_next_gc_finishes_the_job(string stage)
    {
        _ = bases.GcBaseImage;
        var failures = new List<string>();
        foreach (var (copy, forced) in TakeCopies(bases.GcBaseImage, stage, bases.GcConfig, ["gc"]))
            using (copy)
            {
                var what = $"{stage}{(forced ? " + forced commit" : "")}";
                try
                {
                    var content = CheckCopy(copy, what, 2, bases.GcConfig, stage == "gc-sync",
                        top => Assert.Equal((bases.GcKept.Slot0, bases.GcKept.Slot1), (Kit.Slot(top, 0), Kit.Slot(top, 1))));
                    log.WriteLine($"power cut at {what}: {content} generation, current unchanged");
                    Assert.Equal(Content.Old, content);
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    log.WriteLine($"power cut at {what}: FAILED {e.Message}");
                    failures.Add(e.Message);
                }
            }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Guards against a vacuous pass: at "changed" nothing has synced the change's data yet, so
    /// the forced data-less commit must leave the unfinished snapshot with zero-length or
    /// missing files. If it does not, background writeback reached the disk and the other
    /// copies prove nothing.
    /// </summary>
    void AssertTheModelBites(string top, string what)
    {
        var named = Enumerable.Range(0, 4).Select(i => Kit.Slot(top, i)).ToHashSet();
        var unfinished = Directory.GetDirectories(Path.Combine(top, "snapshots")).Where(d => !named.Contains(Path.GetFileName(d))).ToList();
        Assert.True(unfinished.Count == 1, $"{what}: expected the unfinished snapshot, found {unfinished.Count}");
        var manifest = Change.Manifest(Path.Combine(unfinished[0], "@"));
        var torn = Change.NewManifest.Count(kv => !manifest.TryGetValue(kv.Key, out var v) || v.Item1 == 0);
        log.WriteLine($"{what}: the unsynced snapshot has {torn} of {Change.NewManifest.Count} changed files zero-length or missing");
        Assert.True(torn > 0, $"{what}: the unsynced snapshot holds every changed file complete: the power-cut model does not bite " +
            "(background writeback flushed the data; are vm.dirty_* and commit=300 in effect?)");
    }

    /// <summary>
    /// Runs apkgen on a copy of <paramref name="baseImage"/> until it stops at
    /// <paramref name="stage"/>; returns the plain copy and the copy after a forced data-less
    /// commit. apkgen is SIGKILLed and the work image released before the copies are used.
    /// </summary>
    List<(DiskImage Copy, bool Forced)> TakeCopies(string baseImage, string stage, string config, string[] args)
    {
        var copies = new List<(DiskImage, bool)>();
        using var work = DiskImage.CopyOf(baseImage, $"work-{stage}.img");
        var top = work.Mount("commit=300");
        var env = new Dictionary<string, string> { ["APKGEN_FAULT_STAGE"] = stage, ["APKGEN_FAULT_ACTION"] = "stop" };
        using (var run = Kit.Start(env, ["--config", config, "--device", work.Device!, .. args]))
        {
            try
            {
                run.WaitStopped(stage);
                copies.Add((DiskImage.CopyOf(work.ImagePath, $"{stage}-plain.img"), false));
                Kit.ForceCommit(top);
                copies.Add((DiskImage.CopyOf(work.ImagePath, $"{stage}-forced.img"), true));
            }
            finally { run.Kill(); }
            Assert.Contains($"stopping at stage {stage}", run.Output);
        }
        work.Release();
        return copies;
    }

    /// <summary>
    /// The checks of CRASH-TESTING.md on one crash copy: btrfs check clean; current resolves,
    /// every slot a read-only subvolume; mount -o ro,subvol=/current/0/@ works and holds the old
    /// or the new generation complete; one gc leaves no leftovers (and when
    /// <paramref name="cleanBeforeGc"/>, there are none even before it).
    /// </summary>
    static Content CheckCopy(DiskImage copy, string what, int slots, string config, bool cleanBeforeGc, Action<string>? extra = null)
    {
        var (ccode, check) = Sh.Try("btrfs", "check", "--readonly", copy.ImagePath);
        Assert.True(ccode == 0, $"{what}: btrfs check --readonly found errors:\n{check}");
        try
        {
            var top = copy.Mount();
            Kit.AssertSlotsReadOnly(top, slots, what);
            extra?.Invoke(top);
            var (mcode, mout, root) = copy.TryMountRaw("ro,subvol=/current/0/@");
            Assert.True(mcode == 0, $"{what}: mount -o ro,subvol=/current/0/@ failed: {mout}");
            var content = Change.Classify(root, what);
            Assert.Equal(content, Change.Classify(Path.Combine(top, "current/0/@"), what));
            if (cleanBeforeGc) Kit.AssertNoLeftovers(top, slots, $"{what} (gc had synced its deletions)");
            KillTests.AssertOneGcCleansUp(copy.Device!, top, config, slots, what, secondGc: false);
            Assert.Empty(Kit.MountsAnywhere(copy.Device!, Path.GetDirectoryName(top)));
            Assert.Equal(content, Change.Classify(Path.Combine(top, "current/0/@"), $"{what}, after gc"));
            return content;
        }
        finally { copy.Release(); }
    }
}
