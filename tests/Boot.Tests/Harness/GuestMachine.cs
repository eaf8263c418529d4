using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Apkgen.Boot.Tests.Harness;

/// <summary>One test's guest: a copy-on-write disk over the class's base image and its own OVMF
/// variable store, kept between its boots (BootNext lives there). Nothing is shared with another
/// test. Every assertion goes through <see cref="Check"/>, so a failure carries the serial logs.</summary>
public sealed class GuestMachine : IDisposable
{
    /// <summary>Where each run keeps its guests' logs (the disks are deleted after the test).</summary>
    public static readonly string RunRoot = Path.Combine("/var/tmp/apkgen-boot-tests", "last");

    /// <summary>Every guest's serial output as it arrives, with a header per boot (for scripts/boot-demo).</summary>
    public static readonly string LivePath = Path.Combine(RunRoot, "live.log");

    readonly ITestOutputHelper output;
    readonly List<BootRecord> boots = [];
    readonly CancellationTokenSource scenarioTimeout;
    readonly Stopwatch clock = Stopwatch.StartNew();
    readonly string disk;
    readonly string vars;

    readonly bool apkgenServices;

    GuestMachine(string dir, string disk, string vars, ITestOutputHelper output, TimeSpan budget, bool apkgenServices)
    {
        this.apkgenServices = apkgenServices;
        Dir = dir;
        this.disk = disk;
        this.vars = vars;
        this.output = output;
        scenarioTimeout = new CancellationTokenSource(budget);
    }

    /// <summary>The guest's directory: disk, vars, serial logs, step scripts.</summary>
    public string Dir { get; }

    /// <summary>The boots so far.</summary>
    public IReadOnlyList<BootRecord> Boots => boots;

    /// <summary>Per-boot limit. A boot to the default runlevel takes ~50 s under TCG on an idle
    /// machine, and up to ~190 s was measured with other builds loading the 2 cores.</summary>
    public TimeSpan BootTimeout { get; init; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("APKGEN_BOOT_TIMEOUT"), out var s) ? s : 480);

    /// <summary>No serial output for this long is a stall (kill, report, retry once).</summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("APKGEN_BOOT_STALL"), out var s) ? s : 90);

    /// <summary>Makes a guest for one test over <paramref name="image"/>.</summary>
    public static async Task<GuestMachine> CreateAsync(BootImage image, string name, ITestOutputHelper output, TimeSpan budget)
    {
        var dir = Path.Combine(RunRoot, name);
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var disk = Path.Combine(dir, "disk.img");
        // Each test boots its own copy: reflinked where the filesystem can, else a sparse copy
        // (~1 s for the ~600 MB written). qemu-img overlays would need qemu-utils too.
        await Shell.RunAsync("cp", ["--reflink=auto", "--sparse=always", image.DiskPath, disk]);
        var vars = Path.Combine(dir, "vars.fd");
        File.Copy(QemuRunner.OvmfVarsTemplate, vars);
        output.WriteLine($"guest {name}: {dir} (base image {image.DiskPath}; {image.BuildSummary})");
        return new GuestMachine(dir, disk, vars, output, budget, image is ApkgenImage);
    }

    /// <summary>Boots once. <paramref name="step"/> is a shell script the guest's apkgen-test-step
    /// service runs after the boot checks (through QEMU fw_cfg); the guest powers off after it
    /// unless it reboots or dies first. A stall is retried once and reported.</summary>
    public async Task<BootRecord> BootAsync(string? step = null, Func<string, TimeSpan?>? killWhen = null)
    {
        var number = boots.Count + 1;
        string? stepPath = null;
        if (step is not null)
        {
            stepPath = Path.Combine(Dir, $"step-{number:D2}.sh");
            File.WriteAllText(stepPath, step);
        }
        var serial = Path.Combine(Dir, $"boot-{number:D2}.log");
        File.AppendAllText(LivePath, $"\n===== {Path.GetFileName(Dir)}: boot {number} =====\n");
        var varsBefore = Path.Combine(Dir, "vars.before.fd");
        File.Copy(vars, varsBefore, overwrite: true);
        var run = await QemuRunner.RunAsync(Boot(serial), scenarioTimeout.Token);
        QemuRun? stalled = null;
        if (run.End == QemuEnd.Stalled && !scenarioTimeout.IsCancellationRequested)
        {
            stalled = run;
            File.Move(serial, Path.Combine(Dir, $"boot-{number:D2}.stalled.log"), overwrite: true);
            // Firmware stalls (after "BdsDxe: starting Boot000X") happen before the kernel: OVMF
            // already consumed BootNext, so the retry starts from the variables as they were.
            if (!stalled.Serial.Contains("Linux version", StringComparison.Ordinal))
                File.Copy(varsBefore, vars, overwrite: true);
            output.WriteLine($"boot {number}: STALL after {stalled.Duration.TotalSeconds:F0} s, last line "
                + $"'{BootRecord.LastLine(stalled.Serial)}'; retrying once");
            run = await QemuRunner.RunAsync(Boot(serial), scenarioTimeout.Token);
        }
        var record = new BootRecord(number, serial, run, stalled);
        boots.Add(record);
        File.AppendAllText(LivePath, $"\n===== {record.Summary}\n");
        output.WriteLine(record.Summary);
        foreach (var line in record.Lines("APKGEN-"))
            output.WriteLine($"  guest: APKGEN-{line}");
        if (run.End is QemuEnd.Stalled or QemuEnd.TimedOut)
            Check(false, $"boot {number} did not finish: {run.End}"
                + (scenarioTimeout.IsCancellationRequested ? " (the scenario's time budget ran out)" : ""));
        if (number == 1)
            CheckAlpineUserland(record);
        return record;

        QemuBoot Boot(string serialPath) =>
            new(disk, vars, serialPath, stepPath, BootTimeout, StallAfter, killWhen, LivePath);
    }

    /// <summary>Every scenario's first boot must show what it booted: Alpine's release file,
    /// busybox init as pid 1, OpenRC, and OpenRC starting apkgen's two services (the kernel is
    /// Debian's: Alpine's kernel packages cannot be had on these machines).</summary>
    void CheckAlpineUserland(BootRecord boot)
    {
        var expected = new List<string>
        {
            "APKGEN-ALPINE-RELEASE 3.20.3 (/etc/alpine-release)",
            "APKGEN-INIT pid 1 is /bin/busybox (/sbin/init )",
            "OpenRC 0.54.2 is starting up Linux",
        };
        if (apkgenServices)
            expected.AddRange([" * Checking the boot of this generation ...", " * Confirming the boot of this generation ..."]);
        var missing = expected.Where(e => !boot.Run.Serial.Contains(e, StringComparison.Ordinal)).ToList();
        Check(missing.Count == 0, $"boot {boot.Number} did not show the Alpine userland starting apkgen's services; missing: "
            + string.Join(" | ", missing));
        output.WriteLine($"boot {boot.Number}: Alpine userland seen: {string.Join(" | ", expected)}");
    }

    /// <summary>Fails the test with <paramref name="what"/> and every boot's serial log.</summary>
    public void Check([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
            throw new BootScenarioException($"{what}\n\n{Transcript()}");
    }

    /// <summary>What happened, for failure messages: a summary of each boot, then the serial logs.</summary>
    public string Transcript()
    {
        var text = new StringBuilder();
        text.AppendLine($"guest directory: {Dir}; {boots.Count} boot(s) in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var b in boots)
            text.AppendLine(b.Summary);
        foreach (var b in boots)
        {
            text.AppendLine($"===== serial log of boot {b.Number} ({b.SerialPath})");
            text.AppendLine(Tail(b.Run.Serial, 150));
            if (b.Run.Stderr.Length > 0)
                text.AppendLine($"----- qemu stderr\n{b.Run.Stderr}");
        }
        return text.ToString();
    }

    static string Tail(string text, int lines)
    {
        var all = text.Replace("\r", "").Split('\n');
        return all.Length <= lines
            ? string.Join('\n', all)
            : $"[... {all.Length - lines} earlier lines in the file ...]\n" + string.Join('\n', all[^lines..]);
    }

    /// <summary>Deletes the disk (the logs stay under <see cref="RunRoot"/> for inspection).</summary>
    public void Dispose()
    {
        output.WriteLine($"guest total: {boots.Count} boot(s), {clock.Elapsed.TotalSeconds:F0} s");
        scenarioTimeout.Dispose();
        File.Delete(disk);
        File.Delete(Path.Combine(Dir, "vars.before.fd"));
    }
}

/// <summary>A boot scenario failed; the message carries the serial logs.</summary>
public sealed class BootScenarioException(string message) : Exception(message);
