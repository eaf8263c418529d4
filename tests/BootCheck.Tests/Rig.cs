using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;
using Apkgen.TestSupport;
using NSubstitute;

namespace Apkgen.BootCheck.Tests;

/// <summary>
/// A real layout on a loop btrfs (made with the library's own init and commit steps), the
/// booted generation from a mountinfo fixture, and substitutes for everything that would
/// leave the test: processes (only logger and reboot are expected; reboot is counted, never
/// run) and mounts (only the fixture reads; any mount fails the test).
/// </summary>
sealed class Rig : IDisposable
{
    readonly LoopBtrfs _disk;
    string _mountInfo = "";
    string _cmdline = "";

    public Rig(BootcheckSection? bootcheck = null, bool init = true, string? refindOutput = null)
    {
        _disk = LoopBtrfs.Create(256);
        Top = _disk.MountTop();
        RunDirPath = Path.Combine(_disk.ScratchDirPath, "run");
        HealthDirPath = Path.Combine(_disk.ScratchDirPath, "health.d");
        Directory.CreateDirectory(HealthDirPath);
        Mounts = Substitute.For<IMounts>();
        Mounts.ReadMountInfo().Returns(_ => _mountInfo);
        Mounts.ReadKernelCmdline().Returns(_ => _cmdline);
        Mounts.When(m => m.Mount(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<MountFlags>(), Arg.Any<string?>()))
            .Do(_ => throw new Xunit.Sdk.XunitException("unexpected mount"));
        Mounts.When(m => m.EnterPrivateNamespace()).Do(_ => throw new Xunit.Sdk.XunitException("unexpected unshare"));
        Processes = Substitute.For<IProcessRunner>();
        Processes.RunCaptured(Arg.Any<ProcessSpec>()).Returns(ci =>
        {
            var spec = ci.Arg<ProcessSpec>();
            if (spec.FileName == "logger") { Logged.Add(spec.Arguments[^1]); return new ProcessResult(0, "", ""); }
            throw new Xunit.Sdk.XunitException("unexpected process: " + spec.FileName + " " + string.Join(' ', spec.Arguments));
        });
        // Health checks are the rig's own scripts: they run for real (timeouts and kills too).
        var real = new ProcessRunner();
        Processes.RunWithTimeout(Arg.Any<ProcessSpec>(), Arg.Any<TimeSpan>()).Returns(ci =>
        {
            var spec = ci.Arg<ProcessSpec>();
            if (spec.FileName.StartsWith(HealthDirPath + "/", StringComparison.Ordinal)) return real.RunWithTimeout(spec, ci.Arg<TimeSpan>());
            throw new Xunit.Sdk.XunitException("unexpected process: " + spec.FileName + " " + string.Join(' ', spec.Arguments));
        });
        Processes.RunInteractive(Arg.Any<ProcessSpec>()).Returns(ci =>
        {
            var spec = ci.Arg<ProcessSpec>();
            if (spec.FileName == "reboot" && spec.Arguments.Count == 0) { Reboots++; return 0; }
            throw new Xunit.Sdk.XunitException("unexpected process: " + spec.FileName + " " + string.Join(' ', spec.Arguments));
        });
        var config = new ApkgenConfig
        {
            Layout = new LayoutSection { Device = Top },
            // Volume, root and resume given: rEFInd's files are written without blkid.
            Refind = refindOutput is null ? new RefindSection()
                : new RefindSection { Output = Path.Combine(_disk.ScratchDirPath, refindOutput.TrimStart('/')), Volume = "ESP", Root = "UUID=test", Resume = "none", AddInclude = false },
            Bootcheck = (bootcheck ?? new BootcheckSection()) with { HealthDir = HealthDirPath },
        };
        Ctx = new SystemContext(config, new LinuxBtrfs(), Mounts, Processes, new SystemClock(), Out, Err);
        if (Ctx.Config.Refind.Output is { } o) Directory.CreateDirectory(Path.GetDirectoryName(o)!);
        if (init) First = Init();
        Err.GetStringBuilder().Clear();
    }

    public string Top { get; }
    public string Device => _disk.Device;

    /// <summary>The fixtures of the last <see cref="Boot"/> as files, for the executable (APKGEN_TEST_*).</summary>
    public Dictionary<string, string> FixtureEnv()
    {
        var mountInfo = Path.Combine(_disk.ScratchDirPath, "mountinfo");
        var cmdline = Path.Combine(_disk.ScratchDirPath, "cmdline");
        File.WriteAllText(mountInfo, _mountInfo);
        File.WriteAllText(cmdline, _cmdline);
        return new() { ["APKGEN_TEST_MOUNTINFO"] = mountInfo, ["APKGEN_TEST_CMDLINE"] = cmdline, ["APKGEN_TEST_RUNDIR"] = RunDirPath };
    }
    public string RunDirPath { get; }
    public string HealthDirPath { get; }
    public IMounts Mounts { get; }
    public IProcessRunner Processes { get; }
    public SystemContext Ctx { get; private set; }
    public StringWriter Out { get; } = new();
    public StringWriter Err { get; } = new();
    public List<string> Logged { get; } = [];
    public int Reboots { get; private set; }
    public string First { get; } = "";
    /// <summary>When "this boot" started; commits made before it count as tried.</summary>
    public DateTime BootedAt { get; set; } = DateTime.UtcNow.AddHours(1);

    public BootRunner Runner => new(Ctx, RunDirPath, () => BootedAt);
    public TopLevel TopLevel => new(Top);

    public void Configure(Func<BootcheckSection, BootcheckSection> change) =>
        Ctx = Ctx with { Config = Ctx.Config with { Bootcheck = change(Ctx.Config.Bootcheck) } };

    public void ConfigureRefind(Func<RefindSection, RefindSection> change) =>
        Ctx = Ctx with { Config = Ctx.Config with { Refind = change(Ctx.Config.Refind) } };

    string Init()
    {
        Sh.Run("btrfs", "subvolume", "create", Path.Combine(Top, "@"));
        RootTree.Populate(Path.Combine(Top, "@"));
        WriteKernel(Path.Combine(Top, "@"));
        using var session = Session.Open(Ctx);
        var state = Initializer.Run(Ctx, session, new InitOptions("@", [], null, "apkgen init --adopt @"));
        return state.Current.Slots[0]!;
    }

    static void WriteKernel(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        File.WriteAllText(Path.Combine(root, "boot/vmlinuz-lts"), "kernel");
        File.WriteAllText(Path.Combine(root, "boot/initramfs-lts"), "initramfs");
    }

    /// <summary>
    /// A commit through the library's own transaction stages (ChangeUseCase's 4, 6, 7 and 8):
    /// a snapshot of slot 0, pending, read-only, links, the switch of current (pending in
    /// trial mode). The mounts a change needs inside the snapshot are not made (this rig's
    /// mounts refuse any mount), and the change only deletes /boot when asked to.
    /// </summary>
    /// <param name="trial">Publish as pending (trial mode) instead of current.</param>
    /// <param name="withKernel">False: the new generation has no /boot at all.</param>
    /// <param name="changeRoot">Changes the new generation's root (its path) before it is sealed.</param>
    public string Commit(bool trial = false, bool withKernel = true, Action<string>? changeRoot = null)
    {
        var mounts = Substitute.For<IMounts>();
        mounts.ReadMountInfo().Returns(_ => _mountInfo);
        mounts.ReadKernelCmdline().Returns(_ => _cmdline);
        var ctx = Ctx with { Mounts = mounts };
        using var session = Session.Open(ctx);
        session.Lock(null);
        var state = session.Store.Read();
        using var tx = Transaction.Begin(ctx, session, new BaseChoice(state.Current.Slots[0]!, null), trackTreeChanges: false, CancellationToken.None);
        if (!withKernel) Directory.Delete(Path.Combine(tx.RootPath, "boot"), recursive: true);
        changeRoot?.Invoke(tx.RootPath);
        tx.Unmount();
        tx.Seal("apk add test");
        var previous = trial && state.Pending is not null ? state.Pending : state.Current;
        tx.Publish(trial ? LayoutLink.Pending : LayoutLink.Current, LinksPlanner.Promote(tx.Id, previous.Slots, ctx.Config.Layout.Links));
        return tx.Id;
    }

    /// <summary>A new boot of <paramref name="id"/> as the boot manager named it; /run starts empty.</summary>
    public void Boot(string id, string link = "current", int slot = 0)
    {
        _mountInfo = $"""
            22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            36 1 0:32 /snapshots/{id}/@ / ro,noatime shared:1 - btrfs {_disk.Device} ro,space_cache=v2,subvolid=260,subvol=/snapshots/{id}/@
            37 36 0:32 /commons/@var@log /var/log rw,noatime shared:2 - btrfs {_disk.Device} rw,subvol=/commons/@var@log

            """;
        _cmdline = $"initrd=\\{link}\\{slot}\\@\\boot\\initramfs-lts root=UUID=x rootflags=subvol=/{link}/{slot}/@,ro,noatime quiet\n";
        if (Directory.Exists(RunDirPath)) Directory.Delete(RunDirPath, recursive: true);
    }

    public LayoutState Read()
    {
        using var session = Session.Open(Ctx);
        return session.Store.Read();
    }

    public GenerationInfo Info(string id) => GenerationInfo.Parse(id, File.ReadAllText(TopLevel.InfoFilePath(id)));

    public IReadOnlyList<string?> CurrentSlots => Read().Current.Slots;

    public void HealthCheck(string name, string script)
    {
        var path = Path.Combine(HealthDirPath, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // 0755
    }

    public string EventLog => File.Exists(Path.Combine(Top, "bootcheck.log")) ? File.ReadAllText(Path.Combine(Top, "bootcheck.log")) : "";

    /// <summary>The reboot-required file of this rig's layout (its device is a directory: never the running root's file).</summary>
    public string RebootRequiredFilePath => RebootRequired.PathFor(Top);

    public void Dispose()
    {
        File.Delete(RebootRequiredFilePath);
        File.Delete(RebootRequiredFilePath + RebootRequired.PackagesSuffix);
        _disk.Dispose();
    }
}
