using Apkgen.Core;
using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Transactions;
using Apkgen.Core.UseCases;
using NSubstitute;
using Xunit;

namespace Apkgen.TestSupport;

/// <summary>
/// The use cases of apkgen on a real loop btrfs, without starting a process: the filesystem
/// through a substitute that forwards to the real adapter and counts (every read of the
/// layout asks IsSubvolume once per generation), mounts through a substitute that records
/// and mounts nothing (the booted generation from a fixture), and processes through one
/// that fails the test on any call it did not expect. Shared by the use-case tests
/// (tests/Generations.Tests) and the handler tests (tests/Hooks.Tests).
/// </summary>
public sealed class UseCaseRig : IDisposable
{
    readonly LoopBtrfs _disk;

    public UseCaseRig(Func<ApkgenConfig, ApkgenConfig>? configure = null)
    {
        _disk = LoopBtrfs.Create(256);
        Top = _disk.MountTop();
        var real = new LinuxBtrfs();
        Btrfs = Substitute.For<IBtrfs>();
        Btrfs.IsBtrfs(Arg.Any<string>()).Returns(ci => real.IsBtrfs(ci.Arg<string>()));
        Btrfs.IsSubvolume(Arg.Any<string>()).Returns(ci => real.IsSubvolume(ci.Arg<string>()));
        Btrfs.IsReadOnly(Arg.Any<string>()).Returns(ci => real.IsReadOnly(ci.Arg<string>()));
        Btrfs.TreeGeneration(Arg.Any<string>()).Returns(ci => real.TreeGeneration(ci.Arg<string>()));
        Btrfs.FilesystemUuid(Arg.Any<string>()).Returns(ci => real.FilesystemUuid(ci.Arg<string>()));
        Btrfs.ChangedSince(Arg.Any<string>(), Arg.Any<ulong>()).Returns(ci => real.ChangedSince(ci.Arg<string>(), ci.Arg<ulong>()));
        Btrfs.When(b => b.CreateSubvolume(Arg.Any<string>())).Do(ci => real.CreateSubvolume(ci.Arg<string>()));
        Btrfs.When(b => b.Snapshot(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<bool>())).Do(ci => real.Snapshot(ci.ArgAt<string>(0), ci.ArgAt<string>(1), ci.ArgAt<bool>(2)));
        Btrfs.When(b => b.SetReadOnly(Arg.Any<string>(), Arg.Any<bool>())).Do(ci => real.SetReadOnly(ci.ArgAt<string>(0), ci.ArgAt<bool>(1)));
        Btrfs.When(b => b.DeleteSubvolume(Arg.Any<string>())).Do(ci => real.DeleteSubvolume(ci.Arg<string>()));
        Btrfs.When(b => b.SyncFs(Arg.Any<string>())).Do(ci => real.SyncFs(ci.Arg<string>()));
        Btrfs.When(b => b.SyncAndClean(Arg.Any<string>())).Do(ci => real.SyncAndClean(ci.Arg<string>()));

        Mounts = Substitute.For<IMounts>();
        Mounts.ReadMountInfo().Returns(_ => MountInfo);
        Mounts.ReadKernelCmdline().Returns("root=UUID=x rootflags=subvol=/current/0/@,ro quiet\n");
        Mounts.When(m => m.EnterPrivateNamespace()).Do(_ => throw new Xunit.Sdk.XunitException("unexpected unshare: the top level is a directory"));

        Processes = Substitute.For<IProcessRunner>();
        Processes.RunInteractive(Arg.Any<ProcessSpec>()).Returns(ci => RunInteractive(ci.Arg<ProcessSpec>()));
        Processes.RunCaptured(Arg.Any<ProcessSpec>()).Returns<ProcessResult>(ci =>
            throw new Xunit.Sdk.XunitException("unexpected process: " + ci.Arg<ProcessSpec>().FileName));

        var config = new ApkgenConfig { Layout = new LayoutSection { Device = Top } };
        Ctx = new SystemContext(configure?.Invoke(config) ?? config, Btrfs, Mounts, Processes, new SystemClock(), Out, Err);
    }

    public string Top { get; }
    public TopLevel TopLevel => new(Top);
    public IBtrfs Btrfs { get; }
    public IMounts Mounts { get; }
    public IProcessRunner Processes { get; }
    public SystemContext Ctx { get; }
    public StringWriter Out { get; } = new();
    public StringWriter Err { get; } = new();
    public string First { get; private set; } = "";
    public string ScratchDirPath => _disk.ScratchDirPath;
    /// <summary>What the next RunInteractive does (init's bootstrap); null: any call fails the test.</summary>
    public Func<ProcessSpec, int>? Interactive { get; set; }

    /// <summary>The generation the fixture says is booted (init sets the first); null: a root from elsewhere.</summary>
    public string? BootedId { get; set; }

    string MountInfo => BootedId is null
        ? "36 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        : $"36 1 0:32 /snapshots/{BootedId}/@ / ro,noatime shared:1 - btrfs {_disk.Device} ro,subvol=/snapshots/{BootedId}/@\n";

    int RunInteractive(ProcessSpec spec) =>
        Interactive?.Invoke(spec) ?? throw new Xunit.Sdk.XunitException("unexpected process: " + spec.FileName + " " + string.Join(' ', spec.Arguments));

    /// <summary>apkgen init, bootstrapping the first generation with a substitute for apk --initdb.</summary>
    public InitResult Init()
    {
        Interactive = spec =>
        {
            Assert.Equal(Ctx.Config.Apk.Path, spec.FileName);
            Assert.Equal("--initdb", spec.Arguments[2]);
            RootTree.Populate(spec.Arguments[1]);
            return 0;
        };
        var switched = 0;
        var result = InitUseCase.Run(Ctx, new InitOptions(null, ["add", "alpine-base"], null, "init"), _ => switched++);
        Interactive = null;
        Assert.Equal(1, switched);
        BootedId = First = result.State.Current.Slots[0]!;
        Btrfs.ClearReceivedCalls();
        Mounts.ClearReceivedCalls();
        Processes.ClearReceivedCalls();
        return result;
    }

    /// <summary>A change that installs one more package (apk's database changes).</summary>
    public ChangeResult AddPackage(string name, Action<LayoutState>? switched = null, bool kernel = false) =>
        ChangeUseCase.Run(Ctx, new ChangeRequest(null, null, "apk add " + name, TrackTreeChanges: false), tx =>
        {
            if (kernel)
            {
                File.WriteAllText(Path.Combine(tx.RootPath, "boot/vmlinuz-lts"), "kernel");
                File.WriteAllText(Path.Combine(tx.RootPath, "boot/initramfs-lts"), "initramfs");
            }
            File.AppendAllText(Path.Combine(tx.RootPath, "lib/apk/db/installed"), $"C:Q1placeholder=\nP:{name}\nV:1.0-r0\nA:x86_64\nT:{name}\n\n");
            return 0;
        }, tx => !tx.Packages().IsEmpty, switched, CancellationToken.None);

    public LayoutState Read()
    {
        using var session = Session.Open(Ctx);
        return session.Store.Read();
    }

    /// <summary>Removes the reboot-required file a use case wrote for this rig's layout (its device is a directory, so it is never the running root's file), then the disk.</summary>
    public void Dispose()
    {
        var rebootRequired = RebootRequired.PathFor(Top);
        File.Delete(rebootRequired);
        File.Delete(rebootRequired + RebootRequired.PackagesSuffix);
        _disk.Dispose();
    }
}
