using Apkgen.Core.Boot;
using Apkgen.Core.Configuration;
using Apkgen.Core.Edge;
using Apkgen.Core.Model;
using Apkgen.Hooks.Commands;
using Apkgen.TestSupport;
using NSubstitute;

namespace Apkgen.Hooks.Tests;

/// <summary>What one apkgen command line did: its exit code, standard output and standard error.</summary>
sealed record CliResult(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>
/// apkgen's command line run in this process, as Program runs it (<see cref="Cli.Invoke"/>:
/// the real System.CommandLine parse, the real handlers and error handler), on a real layout
/// on a loop btrfs (<see cref="UseCaseRig"/>). The composition gives every verb the rig's
/// context with the configuration the verb loaded from its --config file; the context's
/// substitutes are strict once the layout is made: any mount, any process and the syslog
/// fail the test (<see cref="Xunit.Sdk.XunitException"/>). The booted generation comes from
/// the rig's mountinfo fixture.
/// </summary>
sealed class CliRig : IDisposable
{
    bool _strict;
    int _answered;

    /// <param name="init">Make the layout (the first generation in every slot) before the test.</param>
    /// <param name="config">More of apkgen.conf, after [layout] and [gc].</param>
    public CliRig(bool init = true, string config = "")
    {
        // Automatic gc after a commit would delete what a gc test wants to see deleted by gc.
        Use = new UseCaseRig(c => c with { Gc = new GcSection { Auto = false } });
        ConfigFilePath = Path.Combine(Use.ScratchDirPath, "apkgen.conf");
        File.WriteAllText(ConfigFilePath, $"[layout]\ndevice = {Top}\n\n[gc]\nauto = false\n\n{config}");
        File.SetUnixFileMode(ConfigFilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Use.Mounts.When(m => m.Mount(Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<MountFlags>(), Arg.Any<string?>()))
            .Do(ci => { if (_strict && !MountsExpected) throw new Xunit.Sdk.XunitException("unexpected mount of " + ci.ArgAt<string>(1)); });
        Use.Mounts.When(m => m.Unmount(Arg.Any<string>(), Arg.Any<bool>()))
            .Do(ci => { if (_strict && !MountsExpected) throw new Xunit.Sdk.XunitException("unexpected unmount of " + ci.ArgAt<string>(0)); });
        Use.Processes.RunWithTimeout(Arg.Any<ProcessSpec>(), Arg.Any<TimeSpan>()).Returns<LimitedRunResult>(ci =>
            throw new Xunit.Sdk.XunitException("unexpected process: " + ci.Arg<ProcessSpec>().FileName));
        Use.Processes.RunCaptured(Arg.Any<ProcessSpec>()).Returns(ci =>
        {
            var spec = ci.Arg<ProcessSpec>();
            var answer = Captured?.Invoke(spec) ?? throw new Xunit.Sdk.XunitException("unexpected process: " + spec.FileName + " " + string.Join(' ', spec.Arguments));
            _answered++;
            return answer;
        });
        if (init) Use.Init();
        _strict = true;
    }

    public UseCaseRig Use { get; }
    public string Top => Use.Top;
    public string First => Use.First;
    public string ConfigFilePath { get; }

    /// <summary>A change's transaction mounts inside its snapshot (recorded, not made); off: any mount fails the test.</summary>
    public bool MountsExpected { get; set; }

    /// <summary>The answer to an expected captured process; null (or a null answer): the call fails the test.</summary>
    public Func<ProcessSpec, ProcessResult?>? Captured { get; set; }

    /// <summary>What an expected interactive process (apk, a chrooted command) does; null: the call fails the test.</summary>
    public Func<ProcessSpec, int>? Interactive
    {
        set => Use.Interactive = value is null ? null : spec => { _answered++; return value(spec); };
    }

    /// <summary>auto-upgrade's syslog: any line fails the test (no test here expects one).</summary>
    public ISystemLog SystemLog { get; } = StrictLog();

    static ISystemLog StrictLog()
    {
        var log = Substitute.For<ISystemLog>();
        log.When(l => l.Write(Arg.Any<LogSeverity>(), Arg.Any<string>()))
            .Do(ci => throw new Xunit.Sdk.XunitException($"unexpected syslog line ({ci.ArgAt<LogSeverity>(0)}): {ci.ArgAt<string>(1)}"));
        return log;
    }

    /// <summary>The mounts and unmounts the last runs asked for.</summary>
    public (int Mounts, int Unmounts) MountCalls =>
        // A read-only remount is not one more mount to undo.
        (Use.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IMounts.Mount) && !((MountFlags)c.GetArguments()[3]!).HasFlag(MountFlags.Remount)),
         Use.Mounts.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IMounts.Unmount)));

    /// <summary>A commit made outside the command line under test (the wrapper's change, with a stand-in apk run).</summary>
    public string AddPackage(string name)
    {
        _strict = false;
        try
        {
            return Use.AddPackage(name).GenerationId!;
        }
        finally
        {
            _strict = true;
        }
    }

    /// <summary>Runs <c>apkgen --config RIG-CONF ARGS</c>; standard output and error are the rig's own writers for the run.</summary>
    public CliResult Run(params string[] args)
    {
        Use.Out.GetStringBuilder().Clear();
        Use.Err.GetStringBuilder().Clear();
        Use.Processes.ClearReceivedCalls();
        Use.Mounts.ClearReceivedCalls();
        _answered = 0;
        var composition = new Composition(
            config =>
            {
                Assert.Equal(Top, config.Layout.Device);
                return Use.Ctx with { Config = config };
            },
            () => SystemLog);
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(Use.Out);
        Console.SetError(Use.Err);
        int code;
        try
        {
            code = Cli.Invoke(["--config", ConfigFilePath, .. args], composition);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        var result = new CliResult(code, Use.Out.ToString(), Use.Err.ToString());
        // The substitutes throw at an unexpected call; this catches one a handler swallowed too.
        Assert.True(Use.Processes.ReceivedCalls().Count() == _answered, "an unexpected process was started:\n" + result);
        return result;
    }

    /// <summary>The generation's generation.ini, as boot assessment would have left it.</summary>
    public void SetBootState(string id, BootState state, string reason)
    {
        var path = Use.TopLevel.InfoFilePath(id);
        File.WriteAllText(path, (GenerationInfo.Parse(id, File.ReadAllText(path)) with { State = state, Reason = reason }).Render());
    }

    public GenerationInfo Info(string id) => GenerationInfo.Parse(id, File.ReadAllText(Use.TopLevel.InfoFilePath(id)));

    /// <summary>The switch marker the wrapper's read-only applets look for (a real file in /run).</summary>
    public string SwitchMarkerPath => SwitchMarker.PathFor(Top);

    public void Dispose()
    {
        // What a switch wrote for this rig's device in /run: removed with the device.
        foreach (var path in new[] { SwitchMarkerPath, RebootRequired.PathFor(Top), RebootRequired.PathFor(Top) + RebootRequired.PackagesSuffix })
            if (File.Exists(path)) File.Delete(path);
        Use.Dispose();
    }
}
