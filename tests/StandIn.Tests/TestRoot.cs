using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Apkgen.StandIn.Tests;

/// <summary>What a process did: exit code and both streams.</summary>
public sealed record RunResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>
/// A temporary apk root for one test, with the stand-in apk pointed at it and at the sample
/// repository. Mounts made through <see cref="MountAsync"/> are undone on dispose, and the
/// directory is deleted only when nothing is mounted under it any more.
/// </summary>
public sealed class TestRoot : IDisposable
{
    public static readonly string RepoDir = FindRepoDir();
    public static readonly string StandIn = Path.Combine(RepoDir, "tests/apk-standin/apk");
    public static readonly string SampleRepo = Path.Combine(RepoDir, "tests/apk-standin/repo");
    public static readonly string Hook = Path.Combine(RepoDir, "apk-hooks/apkgen");
    public const string HookPath = "/usr/sbin:/usr/bin:/sbin:/bin";

    readonly List<string> mounts = [];
    readonly List<string> mountPoints = [];

    public TestRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("these tests need root (chroot, mounts, namespaces)");
        Dir = Directory.CreateTempSubdirectory("apk-standin-").FullName;
    }

    /// <summary>The root directory (apk's --root).</summary>
    public string Dir { get; }

    public string this[string relative] => Path.Combine(Dir, relative);

    public string Read(string relative) => File.ReadAllText(this[relative]);

    /// <summary>Runs the stand-in with <c>--root</c> and <c>-X</c> the sample repository.</summary>
    public Task<RunResult> ApkAsync(params string[] args) => ApkAsync(args, stdin: null);

    public Task<RunResult> ApkAsync(IEnumerable<string> args, string? stdin, IReadOnlyDictionary<string, string?>? env = null) =>
        RunAsync(StandIn, ["--root", Dir, "-X", SampleRepo, .. args], stdin, env);

    /// <summary>A root with the db and alpine-base (busybox), as apkgen init makes one.</summary>
    public async Task<TestRoot> WithBaseAsync()
    {
        var r = await ApkAsync("--initdb", "add", "alpine-base");
        Assert.True(r.ExitCode == 0, r.ToString());
        return this;
    }

    public void AddHook(string name, string script)
    {
        var path = this["etc/apk/commit_hooks.d/" + name];
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    public static async Task<RunResult> RunAsync(string exe, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null)
    {
        var cmd = Cli.Wrap(exe).WithArguments(args).WithValidation(CommandResultValidation.None);
        if (stdin is not null) cmd = cmd.WithStandardInputPipe(PipeSource.FromString(stdin));
        if (env is not null) cmd = cmd.WithEnvironmentVariables(env);
        var r = await cmd.ExecuteBufferedAsync(Encoding.UTF8);
        return new(r.ExitCode, r.StandardOutput, r.StandardError);
    }

    /// <summary>An empty temporary directory to mount on, removed on dispose.</summary>
    public string NewMountPoint()
    {
        var dir = Directory.CreateTempSubdirectory("apk-standin-mnt-").FullName;
        mountPoints.Add(dir);
        return dir;
    }

    /// <summary>Runs mount(8) with these arguments; the last one is the target, unmounted on dispose.</summary>
    public async Task MountAsync(params string[] args)
    {
        var r = await RunAsync("mount", args);
        Assert.True(r.ExitCode == 0, "mount " + string.Join(' ', args) + ": " + r);
        mounts.Add(args[^1]);
    }

    public void Dispose()
    {
        for (var i = mounts.Count - 1; i >= 0; i--)
        {
            var r = RunAsync("umount", [mounts[i]]).GetAwaiter().GetResult();
            if (r.ExitCode != 0) RunAsync("umount", ["-l", mounts[i]]).GetAwaiter().GetResult();
        }
        foreach (var dir in mountPoints) Directory.Delete(dir); // not recursive: must be empty
        // Never delete through a mount left behind: that would delete the mounted tree.
        var left = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(p => p == Dir || p.StartsWith(Dir + "/", StringComparison.Ordinal)).ToList();
        if (left.Count > 0)
            throw new InvalidOperationException("still mounted, not deleted: " + string.Join(", ", left));
        Directory.Delete(Dir, recursive: true);
    }

    static string FindRepoDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "apkgen.sln"))) return d.FullName;
        throw new InvalidOperationException("apkgen.sln not found above " + AppContext.BaseDirectory);
    }
}
