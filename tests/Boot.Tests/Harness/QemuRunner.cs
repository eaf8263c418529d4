using System.Diagnostics;
using System.Text;
using CliWrap;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>Starts QEMU with OVMF, serial to a file, and watches it: timeout, stall, power cut.</summary>
public static class QemuRunner
{
    /// <summary>OVMF's code, shared read-only by every guest.</summary>
    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";

    /// <summary>The empty variable store each guest starts from (copied, never written).</summary>
    public const string OvmfVarsTemplate = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    static readonly SemaphoreSlim ProbeLock = new(1, 1);
    static string? accel;

    /// <summary>KVM when a short probe boots OVMF with it, TCG otherwise; probed once per run.
    /// APKGEN_BOOT_ACCEL=kvm|tcg skips the probe.</summary>
    public static async Task<string> AccelAsync()
    {
        await ProbeLock.WaitAsync();
        try
        {
            accel ??= Environment.GetEnvironmentVariable("APKGEN_BOOT_ACCEL") is { Length: > 0 } forced
                ? forced
                : await ProbeKvmAsync() ? "kvm" : "tcg";
            return accel;
        }
        finally
        {
            ProbeLock.Release();
        }
    }

    // /dev/kvm exists on these machines but is paravirtual without VMX/SVM: OVMF then dies at its
    // first instruction, and QEMU stays up with a paused guest (BOOT-TESTING.md). So the probe
    // asks for firmware output within a few seconds, not for QEMU to start.
    static async Task<bool> ProbeKvmAsync()
    {
        if (!File.Exists("/dev/kvm"))
            return false;
        var dir = Directory.CreateTempSubdirectory("apkgen-kvm-probe.").FullName;
        try
        {
            var vars = Path.Combine(dir, "vars.fd");
            File.Copy(OvmfVarsTemplate, vars);
            var serial = Path.Combine(dir, "serial.log");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var args = new List<string> { "-accel", "kvm" };
            args.AddRange(CommonArgs(vars, serial));
            var run = Cli.Wrap("qemu-system-x86_64").WithArguments(args)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(cts.Token);
            while (!run.Task.IsCompleted && !cts.IsCancellationRequested)
            {
                if (File.Exists(serial) && File.ReadAllText(serial).Contains("BdsDxe", StringComparison.Ordinal))
                {
                    await cts.CancelAsync();
                    break;
                }
                await Task.Delay(250);
            }
            try { await run; } catch (OperationCanceledException) { }
            return File.Exists(serial) && File.ReadAllText(serial).Contains("BdsDxe", StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static IEnumerable<string> AccelArgs(string accel) => accel == "kvm"
        ? ["-accel", "kvm"]
        // tb-size=256 with -mem-prealloc roughly halved the slow firmware/kernel loads (BOOT-TESTING.md).
        : ["-accel", "tcg,thread=multi,tb-size=256", "-mem-prealloc"];

    // No bootindex / -boot: OVMF would rewrite BootOrder and delete the Boot entries apkgen made.
    static IEnumerable<string> CommonArgs(string vars, string serial) =>
    [
        "-machine", "q35", "-m", "1024", "-smp", "2",
        "-display", "none", "-nodefaults", "-nic", "none",
        "-drive", $"if=pflash,format=raw,unit=0,readonly=on,file={OvmfCode}",
        "-drive", $"if=pflash,format=raw,unit=1,file={vars}",
        "-serial", $"file:{serial}",
        "-no-reboot",
    ];

    /// <summary>Runs one boot to its end (see <see cref="QemuEnd"/>).</summary>
    public static async Task<QemuRun> RunAsync(QemuBoot boot, CancellationToken cancellation)
    {
        var accelName = await AccelAsync();
        var args = new List<string>();
        args.AddRange(AccelArgs(accelName));
        args.AddRange(CommonArgs(boot.VarsPath, boot.SerialPath));
        args.AddRange(["-drive", $"file={boot.DiskPath},format=raw,if=virtio"]);
        if (boot.StepPath is not null)
            args.AddRange(["-fw_cfg", $"name=opt/apkgen/step,file={boot.StepPath}"]);
        File.WriteAllText(boot.SerialPath, "");

        var stderr = new StringBuilder();
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var clock = Stopwatch.StartNew();
        var run = Cli.Wrap("qemu-system-x86_64").WithArguments(args)
            .WithValidation(CommandResultValidation.None)
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .ExecuteAsync(kill.Token);

        var end = QemuEnd.Exited;
        long seenLength = 0;
        var lastOutput = clock.Elapsed;
        TimeSpan? cutAt = null;
        while (!run.Task.IsCompleted)
        {
            await Task.WhenAny(run.Task, Task.Delay(200, CancellationToken.None));
            var length = new FileInfo(boot.SerialPath).Length;
            if (length != seenLength)
            {
                if (boot.LivePath is not null)
                    AppendRange(boot.SerialPath, seenLength, length, boot.LivePath);
                seenLength = length;
                lastOutput = clock.Elapsed;
                if (cutAt is null && boot.KillWhen is not null && boot.KillWhen(ReadShared(boot.SerialPath)) is { } delay)
                    cutAt = clock.Elapsed + delay;
            }
            if (run.Task.IsCompleted)
                break;
            QemuEnd? reason =
                cutAt is { } at && clock.Elapsed >= at ? QemuEnd.PowerCut
                : clock.Elapsed - lastOutput > boot.StallAfter ? QemuEnd.Stalled
                : clock.Elapsed > boot.Timeout ? QemuEnd.TimedOut
                : cancellation.IsCancellationRequested ? QemuEnd.TimedOut
                : null;
            if (reason is { } r)
            {
                end = r;
                // CliWrap's forceful cancellation kills the process: for a power cut that is the point.
                await kill.CancelAsync();
                break;
            }
        }

        if (boot.LivePath is not null && new FileInfo(boot.SerialPath).Length is var final && final > seenLength)
            AppendRange(boot.SerialPath, seenLength, final, boot.LivePath);

        int? exitCode = null;
        try
        {
            exitCode = (await run).ExitCode;
        }
        catch (OperationCanceledException)
        {
        }
        return new QemuRun(end, exitCode, ReadShared(boot.SerialPath), stderr.ToString(), clock.Elapsed, accelName);
    }

    static void AppendRange(string from, long start, long end, string to)
    {
        using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var target = new FileStream(to, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        source.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[end - start];
        source.ReadExactly(buffer);
        target.Write(buffer);
    }

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
