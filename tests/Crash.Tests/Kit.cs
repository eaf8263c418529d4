using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Apkgen.TestSupport;

namespace Apkgen.Crash.Tests;

/// <summary>Which generation a root holds.</summary>
public enum Content
{
    /// <summary>The base, untouched by the change.</summary>
    Old,
    /// <summary>Everything the change wrote, complete.</summary>
    New,
}

/// <summary>
/// The matrix's change (CRASH-TESTING.md): 200 new files and 100 replaced ones under /data,
/// half of the replacements written to a temp file and renamed over (as apk does), half
/// truncated and rewritten in place. Content comes from /bin/busybox at fixed offsets, so the
/// expected manifest (path, size, sha256) is computed here, not taken from a run.
/// </summary>
public static class Change
{
    /// <summary>New files the change creates.</summary>
    public const int NewFiles = 200;
    /// <summary>Existing files the change replaces.</summary>
    public const int Replaced = 100;

    /// <summary>The shell loop run by <c>apkgen exec -- /bin/sh -c</c> in the busybox root.</summary>
    public const string Script =
        "set -e; i=0; while [ $i -lt 200 ]; do dd if=/bin/busybox of=/data/new-$i bs=4096 skip=$i count=2 2>/dev/null; i=$((i+1)); done; " +
        "i=0; while [ $i -lt 100 ]; do " +
        "if [ $i -lt 50 ]; then dd if=/bin/busybox of=/data/.tmp bs=4096 skip=$((i+300)) count=3 2>/dev/null; mv /data/.tmp /data/old-$i; " +
        "else dd if=/bin/busybox of=/data/old-$i bs=4096 skip=$((i+300)) count=3 2>/dev/null; fi; i=$((i+1)); done";

    static readonly byte[] Busybox = File.ReadAllBytes("/bin/busybox");

    static byte[] Slice(long blocks, int count) =>
        Busybox.AsSpan((int)(blocks * 4096), Math.Min(count * 4096, Busybox.Length - (int)(blocks * 4096))).ToArray();

    static byte[] OldContent(int i) => System.Text.Encoding.ASCII.GetBytes($"old file {i}\n");

    /// <summary>Writes the base's /data (the files the change replaces).</summary>
    public static void PopulateOld(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "data"));
        for (var i = 0; i < Replaced; i++) File.WriteAllBytes(Path.Combine(root, "data", $"old-{i}"), OldContent(i));
    }

    /// <summary>name -> (size, sha256) of the base's /data.</summary>
    public static readonly IReadOnlyDictionary<string, (long, string)> OldManifest =
        Enumerable.Range(0, Replaced).ToDictionary(i => $"old-{i}", i => Entry(OldContent(i)));

    /// <summary>name -> (size, sha256) of /data after the change.</summary>
    public static readonly IReadOnlyDictionary<string, (long, string)> NewManifest =
        Enumerable.Range(0, NewFiles).Select(i => ($"new-{i}", Entry(Slice(i, 2))))
            .Concat(Enumerable.Range(0, Replaced).Select(i => ($"old-{i}", Entry(Slice(i + 300, 3)))))
            .ToDictionary(x => x.Item1, x => x.Item2);

    static (long, string) Entry(byte[] data) => (data.Length, Convert.ToHexString(SHA256.HashData(data)));

    /// <summary>name -> (size, sha256) of a root's /data as it is.</summary>
    public static Dictionary<string, (long, string)> Manifest(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "data")).ToDictionary(f => Path.GetFileName(f), f => Entry(File.ReadAllBytes(f)));

    /// <summary>Old or New, complete; anything else fails with what is torn (zero-length, missing, different files).</summary>
    public static Content Classify(string root, string what)
    {
        var actual = Manifest(root);
        if (Same(actual, OldManifest)) return Content.Old;
        if (Same(actual, NewManifest)) return Content.New;
        var zero = actual.Where(kv => kv.Value.Item1 == 0).Select(kv => kv.Key).ToList();
        var missing = NewManifest.Keys.Except(actual.Keys).ToList();
        var differ = actual.Where(kv => NewManifest.TryGetValue(kv.Key, out var e) && e != kv.Value && !(OldManifest.TryGetValue(kv.Key, out var o) && o == kv.Value)).Select(kv => kv.Key).ToList();
        Assert.Fail($"{what}: /data is neither the old nor the new generation complete: {actual.Count} files, " +
            $"{zero.Count} zero-length ({string.Join(' ', zero.Take(8))}), {missing.Count} of the new missing, {differ.Count} with other content ({string.Join(' ', differ.Take(8))})");
        return default;
    }

    static bool Same(Dictionary<string, (long, string)> a, IReadOnlyDictionary<string, (long, string)> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

/// <summary>Process, mount and layout checks shared by the crash tests.</summary>
public static class Kit
{
    /// <summary>A running apkgen (the built executable via dotnet) with its output collected.</summary>
    public sealed class Run : IDisposable
    {
        readonly Process _p;
        readonly System.Text.StringBuilder _out = new();

        internal Run(Process p)
        {
            _p = p;
            _p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            _p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
            _p.BeginOutputReadLine();
            _p.BeginErrorReadLine();
        }

        /// <summary>The process id (apkgen itself: dotnet hosts it in-process).</summary>
        public int Pid => _p.Id;

        /// <summary>What it printed so far.</summary>
        public string Output { get { lock (_out) return _out.ToString(); } }

        /// <summary>True once it exited.</summary>
        public bool Exited => _p.HasExited;

        /// <summary>Waits for the exit and returns the code (fails after the timeout, killing it).</summary>
        public int Wait(int seconds = 120)
        {
            if (!_p.WaitForExit(TimeSpan.FromSeconds(seconds)))
            {
                _p.Kill(entireProcessTree: true);
                Assert.Fail($"apkgen did not finish in {seconds} s:\n{Output}");
            }
            _p.WaitForExit();
            return _p.ExitCode;
        }

        /// <summary>Waits until the process is stopped (state T in /proc/PID/stat); fails if it exits first.</summary>
        public void WaitStopped(string stage)
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                if (_p.HasExited)
                    Assert.Fail($"apkgen exited ({_p.ExitCode}) without reaching stage {stage}:\n{Output}");
                if (State(Pid) == 'T') return;
                Thread.Sleep(20);
            }
            Assert.Fail($"apkgen did not stop at stage {stage} in 120 s:\n{Output}");
        }

        /// <summary>Sends a signal.</summary>
        public void Signal(int signal) => kill(_p.Id, signal);

        /// <summary>Sends a signal to the whole process group, as Ctrl-C in a terminal does (see <see cref="StartInOwnGroup"/>).</summary>
        public void SignalGroup(int signal) => kill(-_p.Id, signal);

        /// <summary>SIGKILL and reap.</summary>
        public void Kill()
        {
            if (!_p.HasExited) kill(_p.Id, 9);
            // Timed: the parameterless wait also waits for EOF on the output pipes, which an
            // orphaned child of the change may hold open for minutes.
            _p.WaitForExit(TimeSpan.FromSeconds(10));
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!_p.HasExited) { kill(_p.Id, 9); _p.WaitForExit(TimeSpan.FromSeconds(10)); }
            _p.Dispose();
        }
    }

    /// <summary>Starts <c>apkgen ARGS</c> without waiting.</summary>
    public static Run Start(IDictionary<string, string>? env, params string[] args) => Start(false, env, args);

    /// <summary>
    /// Starts <c>apkgen ARGS</c> as the leader of its own session and process group (env and
    /// setsid exec without forking, so the pid is apkgen's): a terminal's foreground job.
    /// </summary>
    public static Run StartInOwnGroup(IDictionary<string, string>? env, params string[] args) => Start(true, env, args);

    static Run Start(bool ownGroup, IDictionary<string, string>? env, string[] args)
    {
        // env --default-signal=HUP: a test host started with SIGHUP ignored (nohup, some CI
        // runners) passes the ignored disposition on, and apkgen rightly keeps a signal ignored
        // that it was started without; the signal tests need apkgen started as from a terminal.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=HUP");
        if (ownGroup) psi.ArgumentList.Add("setsid");
        psi.ArgumentList.Add("dotnet");
        psi.ArgumentList.Add(ApkgenCli.BuildOutput("Hooks", "apkgen"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return new Run(p);
    }

    /// <summary>The state letter of /proc/PID/stat ('R', 'S', 'T', 'Z'...), or '?' when gone.</summary>
    public static char State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException) { return '?'; }
    }

    /// <summary>
    /// Forces a btrfs transaction commit without flushing file data (BTRFS_IOC_START_SYNC then
    /// BTRFS_IOC_WAIT_SYNC): the periodic commit arriving at the worst moment.
    /// </summary>
    public static void ForceCommit(string dirOnFs)
    {
        var fd = open(dirOnFs, 0x10000 /* O_DIRECTORY */);
        if (fd < 0) throw new IOException($"open {dirOnFs}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            ulong transid = 0;
            if (ioctl(fd, 0x80089418UL, ref transid) != 0) throw new IOException($"BTRFS_IOC_START_SYNC: errno {Marshal.GetLastPInvokeError()}");
            if (ioctl(fd, 0x40089416UL, ref transid) != 0) throw new IOException($"BTRFS_IOC_WAIT_SYNC: errno {Marshal.GetLastPInvokeError()}");
        }
        finally { close(fd); }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)]
    static extern int ioctl(int fd, ulong request, ref ulong arg);
    [DllImport("libc", SetLastError = true)]
    static extern int close(int fd);
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    /// <summary>
    /// Mounts of <paramref name="device"/> in any mount namespace of any thread, except those under
    /// <paramref name="allowedPrefix"/> (the test's own inspection mount).
    /// </summary>
    public static List<string> MountsAnywhere(string device, string? allowedPrefix)
    {
        var found = new HashSet<string>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _)) continue;
            IEnumerable<string> tasks;
            try { tasks = Directory.EnumerateDirectories(Path.Combine(proc, "task")).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var task in tasks)
            {
                string[] lines;
                try { lines = File.ReadAllLines(Path.Combine(task, "mountinfo")); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
                foreach (var line in lines)
                {
                    var f = line.Split(' ');
                    var dash = Array.IndexOf(f, "-");
                    var source = dash > 0 && dash + 2 < f.Length ? f[dash + 2] : "";
                    var point = f[4];
                    if (allowedPrefix is not null && point.StartsWith(allowedPrefix, StringComparison.Ordinal)) continue;
                    // Only this device: other apkgen runs on the machine have their own /run/apkgen/top.
                    if (source == device)
                        found.Add($"{Path.GetFileName(proc)}/{Path.GetFileName(task)}: {point} ({source})");
                }
            }
        }
        return found.ToList();
    }

    /// <summary>Processes whose root directory is under <paramref name="prefix"/> (a change's leftovers).</summary>
    public static List<string> ProcessesRootedUnder(string prefix)
    {
        var found = new List<string>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _)) continue;
            try
            {
                if (new DirectoryInfo(Path.Combine(proc, "root")).LinkTarget is { } r && r.StartsWith(prefix, StringComparison.Ordinal))
                    found.Add($"{Path.GetFileName(proc)} {File.ReadAllText(Path.Combine(proc, "cmdline")).Replace('\0', ' ')}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>The generation id slot <paramref name="n"/> of current names.</summary>
    public static string Slot(string top, int n) =>
        Path.GetFileName(new FileInfo(Path.Combine(top, "current", n.ToString())).LinkTarget!);

    /// <summary>current's target.</summary>
    public static string Current(string top) => new FileInfo(Path.Combine(top, "current")).LinkTarget!;

    /// <summary>True if the path is a read-only btrfs subvolume.</summary>
    public static bool IsReadOnlySubvolume(string path) =>
        Sh.Try("btrfs", "subvolume", "show", path).Code == 0 && Sh.Run("btrfs", "property", "get", "-ts", path, "ro").Contains("ro=true");

    /// <summary>current resolves and every slot (0..slots-1) is a read-only subvolume.</summary>
    public static void AssertSlotsReadOnly(string top, int slots, string what)
    {
        Assert.True(Directory.Exists(Path.Combine(top, "current")), $"{what}: current does not resolve ({Current(top)})");
        for (var i = 0; i < slots; i++)
            Assert.True(IsReadOnlySubvolume(Path.Combine(top, "current", i.ToString(), "@")), $"{what}: slot {i} is not a read-only subvolume");
    }

    /// <summary>
    /// Nothing but what current names: snapshots/ holds exactly current's generations (each a
    /// read-only @ and its metadata), links/ only current's directory, next/ is empty, and no
    /// subvolume exists under snapshots/ that current does not name.
    /// </summary>
    public static void AssertNoLeftovers(string top, int slots, string what)
    {
        var named = Enumerable.Range(0, slots).Select(i => Slot(top, i)).ToHashSet();
        var dirs = Directory.GetDirectories(Path.Combine(top, "snapshots")).Select(Path.GetFileName).ToHashSet();
        Assert.True(named.SetEquals(dirs!), $"{what}: snapshots/ holds [{string.Join(' ', dirs.Order())}], current names [{string.Join(' ', named.Order())}]");
        var links = Directory.GetDirectories(Path.Combine(top, "links")).Select(Path.GetFileName).ToList();
        Assert.True(links.Count == 1 && "./links/" + links[0] == Current(top), $"{what}: links/ holds [{string.Join(' ', links)}], current is {Current(top)}");
        var next = Path.Combine(top, "next");
        Assert.True(!Directory.Exists(next) || !Directory.EnumerateFileSystemEntries(next).Any(), $"{what}: next/ is not empty");
        var subvols = Sh.Run("btrfs", "subvolume", "list", top).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[(l.IndexOf(" path ", StringComparison.Ordinal) + 6)..]).Where(p => p.StartsWith("snapshots/", StringComparison.Ordinal)).ToList();
        foreach (var s in subvols)
        {
            var parts = s.Split('/');
            Assert.True(parts.Length == 3 && parts[2] == "@" && named.Contains(parts[1]), $"{what}: stray subvolume {s}");
        }
        foreach (var id in named)
        {
            Assert.True(IsReadOnlySubvolume(Path.Combine(top, "snapshots", id, "@")), $"{what}: {id}/@ is not read-only");
            var extra = Directory.GetFileSystemEntries(Path.Combine(top, "snapshots", id)).Select(Path.GetFileName)
                .Where(n => n is not "@" and not "generation.ini").ToList();
            Assert.True(extra.Count == 0, $"{what}: snapshots/{id} holds [{string.Join(' ', extra)}]");
        }
    }

    /// <summary>A config file with the given text, in <paramref name="dir"/>.</summary>
    public static string Config(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
