using System.Reflection;
using System.Runtime.InteropServices;
using Apkgen.Core.Apk;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// The native front of the apkgen executable (src/Hooks/native/apk-front.c) hands read-only
/// apk command lines to the real apk before the .NET runtime starts. It must classify exactly
/// as <see cref="ApkCommandLine"/> does, or a change could bypass its snapshot: the C file is
/// compiled here as a library and the two are compared on every case of ApkCommandLineTests
/// and on generated command lines. (What the built executable does is tested in
/// Package.Tests/ApkFrontTests.)
/// </summary>
public sealed class ApkFrontTests(CompiledFront front) : IClassFixture<CompiledFront>
{
    static bool Managed(string[] args) => ApkCommandLine.Parse(args).Action == ApkAction.PassThrough;

    bool Native(string[] args) => front.Classify(args.Length, args) != 0;

    static bool ManagedLive(string[] args) => ApkCommandLine.Parse(args).ReadsLiveRoot;

    bool NativeLive(string[] args) => front.ReadsLiveRoot(args.Length, args) != 0;

    /// Every command line of ApkCommandLineTests' theories, as they split it.
    public static TheoryData<string> KnownCases()
    {
        var data = new TheoryData<string>();
        foreach (var method in typeof(ApkCommandLineTests).GetMethods())
            foreach (var row in method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)))
                data.Add((string)row[0]);
        return data;
    }

    [Theory]
    [MemberData(nameof(KnownCases))]
    public void The_native_front_classifies_every_known_case_as_ApkCommandLine_does(string line)
    {
        foreach (var args in new[] { line.Split(' ', StringSplitOptions.RemoveEmptyEntries), line.Split(' ') })
        {
            Assert.True(Managed(args) == Native(args), $"[{string.Join(", ", args)}]: managed {Managed(args)}, native {Native(args)}");
            Assert.True(ManagedLive(args) == NativeLive(args), $"[{string.Join(", ", args)}]: reads the live root: managed {ManagedLive(args)}, native {NativeLive(args)}");
        }
    }

    [Fact]
    public void The_native_front_agrees_with_ApkCommandLine_on_generated_command_lines()
    {
        string[] vocabulary =
        [
            "add", "del", "upgrade", "fix", "convdb", "update", "cache", "info", "search", "list", "version",
            "--", "-", "-s", "-qs", "-sq", "-p", "-p/mnt", "-p/", "-X", "-Xfoo", "-t", "-qt", "-tV", "-U", "-qU",
            "--root", "--root=/", "--root=//", "--root=/mnt", "--root=", "--simulate", "--simulate=1", "--help",
            "--version", "-h", "-V", "-hV", "--repository", "--repository=x", "--virtual", "--virtual=.deps",
            "--no-cache", "--wait", "--wait=3", "--progress-fd", "--cache-max-age", "--arch", "--unknown",
            "/", "/mnt", "//", "x", ".build-deps", "", "frobnicate", "--cache-packages", "--from", "--from=none",
            "/.", ".", "/proc/1/root", "-p/.", "--root=/proc/self/root", "--" + new string('x', 300), "--" + new string('y', 255) + "=/",
        ];
        var random = new Random(20261125);
        var differ = new List<string>();
        var passed = 0;
        const int lines = 20000;
        for (var n = 0; n < lines; n++)
        {
            var args = Enumerable.Range(0, random.Next(0, 7)).Select(_ => vocabulary[random.Next(vocabulary.Length)]).ToArray();
            if (Managed(args)) passed++;
            if (Managed(args) != Native(args))
                differ.Add($"[{string.Join(", ", args)}]: managed {Managed(args)}");
            if (ManagedLive(args) != NativeLive(args))
                differ.Add($"[{string.Join(", ", args)}]: reads the live root: managed {ManagedLive(args)}");
        }
        // Both answers must be common, or agreeing would prove little.
        Assert.InRange(passed, lines / 10, lines - lines / 10);
        Assert.True(differ.Count == 0, $"{differ.Count} command lines classified differently, e.g.:\n{string.Join('\n', differ.Take(10))}");
    }

    [Fact]
    public void The_native_front_passes_read_only_lines_and_other_roots_and_keeps_every_change()
    {
        Assert.True(Native(["info"]));
        Assert.False(Native(["add", "x"]));
        // --simulate takes no lock in apk 2.14 or 3: it only reads.
        Assert.True(Native(["-s", "upgrade"]));
        Assert.True(NativeLive(["-s", "upgrade"]));
        Assert.False(NativeLive(["--root=/mnt", "info"]));
        Assert.False(NativeLive(["--version"]));
        Assert.False(Native(["update"]));
        Assert.True(Native(["--root=/mnt", "add", "x"]));
        Assert.False(Native(["--root=/", "add", "x"]));
    }
}
