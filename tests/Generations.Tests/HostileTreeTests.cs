using System.Security.Cryptography;
using System.Text;
using Apkgen.TestSupport;
using Xunit.Abstractions;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 12 case 5 and its "hostile tree" test: generations whose tree has absolute and
/// <c>..</c> symlinks at every path apkgen touches inside a snapshot, pointing at a sentinel
/// tree outside the layout. Every shipped verb runs against them; the sentinel (content,
/// mode, mtime of every entry, directories included) must not change, the transaction marker
/// must never appear in it, and nothing of it may be read into apkgen's output or metadata.
/// On a real loop btrfs, through the built executables and the stand-in apk.
/// </summary>
public sealed class HostileTreeTests(ITestOutputHelper log)
{
    /// <summary>What the sentinel holds that no generation has: seen anywhere, apkgen read the host.</summary>
    const string SecretPackage = "sentinel-secret", SecretWorld = "sentinel-world", SecretFlavor = "evilflavor";

    /// <summary>A tree outside the layout that hostile links point at.</summary>
    sealed class Sentinel : IDisposable
    {
        public string Dir { get; }

        /// <summary>Under /tmp, or under <paramref name="parent"/>.</summary>
        public Sentinel(string? parent = null)
        {
            Dir = parent is null ? Directory.CreateTempSubdirectory("apkgen-sentinel-").FullName
                : Directory.CreateDirectory(Path.Combine(parent, "apkgen-sentinel-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            foreach (var d in new[] { "etc/apk", "tmp", "run", "log", "cache/apk", "vartmp", "db", "boot", "modules/6.6.6-evilflavor", "var/log", "var/cache/apk", "var/tmp" })
                Directory.CreateDirectory(Path.Combine(Dir, d));
            Write("etc/fstab", "# the host's fstab\n");
            Write("etc/resolv.conf", "nameserver 198.51.100.9\n");
            Write("etc/shadow", $"P:{SecretPackage}\nV:6.6.6-r0\n\n");
            Write("etc/apk/world", SecretWorld + "\n");
            Write("world", SecretWorld + "\n");
            Write("db/installed", $"P:{SecretPackage}\nV:6.6.6-r0\n\n");
            Write("boot/vmlinuz-" + SecretFlavor, "not a kernel\n");
            Write("log/messages", "host log\n");
            Write("tmp/keep", "host tmp\n");
            Write("run/keep", "host run\n");
            // Old mtimes: a write that restores the content still shows.
            foreach (var e in Directory.EnumerateFileSystemEntries(Dir, "*", SearchOption.AllDirectories).Append(Dir))
                Directory.SetLastWriteTimeUtc(e, new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        void Write(string relative, string text) => File.WriteAllText(Path.Combine(Dir, relative), text);

        /// <summary>Every entry: path, kind, mode, size, mtime, content hash.</summary>
        public string Fingerprint()
        {
            var sb = new StringBuilder();
            foreach (var e in Directory.EnumerateFileSystemEntries(Dir, "*", SearchOption.AllDirectories).Append(Dir).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(e);
                var isDir = Directory.Exists(e) && info.LinkTarget is null;
                sb.Append(e).Append(' ').Append(isDir ? 'd' : info.LinkTarget is not null ? 'l' : 'f').Append(' ')
                    .Append(File.GetUnixFileMode(e)).Append(' ')
                    .Append(File.GetLastWriteTimeUtc(e).Ticks).Append(' ');
                if (!isDir && info.LinkTarget is null)
                    sb.Append(info.Length).Append(' ').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(e))));
                sb.Append('\n');
            }
            return sb.ToString();
        }

        public void Dispose()
        {
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The stand-in system with a managed rEFInd menu, so every commit also reads the generations' boot.</summary>
    static StandInSystem CreateSystem(out string esp)
    {
        var sys = StandInSystem.Create();
        esp = Path.Combine(sys.Disk.ScratchDirPath, "esp/EFI/refind");
        Directory.CreateDirectory(esp);
        File.WriteAllText(Path.Combine(esp, "refind.conf"), "timeout 5\n");
        File.AppendAllText(sys.ConfigPath, $"[refind]\noutput = {esp}/apkgen.conf\nvolume = ROOT\nroot = UUID=0000\n");
        // A kernel in the base: boot/ and lib/modules/ are there to be linked away.
        var (code, output) = sys.Apk("add", "linux-lts");
        if (code != 0) throw new InvalidOperationException("apk add linux-lts failed:\n" + output);
        return sys;
    }

    /// <summary>
    /// Makes a read-only snapshot of slot 0, lets <paramref name="vandalise"/> plant links in
    /// it, and makes it every slot of a new current (by hand, as an attacker with the
    /// device would): the base of the next change and a generation every verb sees.
    /// </summary>
    static string MakeHostileCurrent(StandInSystem sys, string name, Action<string> vandalise)
    {
        var id = "20300101000000" + name.PadRight(8, 'x')[..8];
        var lid = "20300101000001" + name.PadRight(8, 'y')[..8];
        Directory.CreateDirectory(Path.Combine(sys.Top, "snapshots", id));
        var root = Path.Combine(sys.Top, "snapshots", id, "@");
        Sh.Run("btrfs", "subvolume", "snapshot", Path.Combine(sys.Top, "current/0/@"), root);
        vandalise(root);
        Sh.Run("btrfs", "property", "set", "-ts", root, "ro", "true");
        Directory.CreateDirectory(Path.Combine(sys.Top, "links", lid));
        for (var i = 0; i < 4; i++)
            File.CreateSymbolicLink(Path.Combine(sys.Top, "links", lid, i.ToString()), "../../snapshots/" + id);
        var temp = Path.Combine(sys.Top, "current.hostile");
        File.CreateSymbolicLink(temp, "./links/" + lid);
        Sh.Run("mv", "-T", temp, Path.Combine(sys.Top, "current"));
        return id;
    }

    /// <summary>Replaces <paramref name="relative"/> in the root by a symlink to <paramref name="target"/>.</summary>
    static void Link(string root, string relative, string target)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (new FileInfo(path).LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        File.CreateSymbolicLink(path, target);
    }

    /// <summary>A relative target that climbs far above any root (<c>..</c> past the top) to the sentinel's path.</summary>
    static string DotDot(string absolute) => string.Concat(Enumerable.Repeat("../", 24)) + absolute.TrimStart('/');

    /// <summary>
    /// Runs every shipped verb against the hostile current; after each, the sentinel must be
    /// as it was, no marker in it, and no secret of it in the output, generation.ini files or menu.
    /// Returns the failures, one line each (all verbs run even when one fails).
    /// </summary>
    /// <summary>Each verb's exit code in the last <see cref="RunEveryVerb"/>.</summary>
    readonly Dictionary<string, int> Codes = [];

    List<string> RunEveryVerb(StandInSystem sys, Sentinel sentinel, string esp, string hostileId)
    {
        var failures = new List<string>();
        var before = sentinel.Fingerprint();
        var env = new Dictionary<string, string> { ["APKGEN_CONFIG"] = sys.ConfigPath };
        Codes.Clear();
        string Dll(string project, string assembly) => ApkgenCli.BuildOutput(project, assembly);
        var steps = new List<(string Name, Func<(int Code, string Output)> Run)>
        {
            ("exec", () => sys.Apkgen("exec", "--", "/bin/sh", "-c", "echo from-exec > /root/exec-was-here")),
            ("shell", () => Sh.TryIn(null, "echo from-shell > /root/shell-was-here\nexit 0\n", "dotnet", Dll("Hooks", "apkgen"), "--config", sys.ConfigPath, "shell")),
            ("exec --from hostile", () => sys.Apkgen("exec", "--from", hostileId, "--", "/bin/true")),
            ("apk add", () => sys.Apk("add", "hello")),
            ("apk del", () => sys.Apk("del", "hello")),
            ("apk update", () => sys.Apk("update")),
            ("list", () => sys.Apkgen("list")),
            ("list --json", () => sys.Apkgen("list", "--json")),
            ("status", () => sys.Apkgen("status")),
            ("diff", () => sys.Apkgen("diff")),
            ("diff hostile", () => sys.Apkgen("diff", sys.Slot(0), hostileId)),
            ("pin", () => sys.Apkgen("pin", hostileId)),
            ("unpin", () => sys.Apkgen("unpin", hostileId)),
            ("rollback", () => sys.Apkgen("rollback", "1")),
            ("apkgen-refind --stdout", () => Sh.TryIn(env, null, "dotnet", Dll("Refind", "apkgen-refind"), "--config", sys.ConfigPath, "--stdout")),
            ("apkgen-refind --check", () => Sh.TryIn(env, null, "dotnet", Dll("Refind", "apkgen-refind"), "--config", sys.ConfigPath, "--check")),
            ("apkgen-bootcheck status", () => Sh.TryIn(env, null, "dotnet", Dll("BootCheck", "apkgen-bootcheck"), "status", "--config", sys.ConfigPath)),
            ("gc", () => sys.Apkgen("gc")),
            ("list after gc", () => sys.Apkgen("list")),
        };
        foreach (var (name, run) in steps)
        {
            var (code, output) = run();
            log.WriteLine($"== {name}: exit {code}\n{Indent(output)}");
            Codes[name] = code;
            var after = sentinel.Fingerprint();
            if (after != before)
                failures.Add($"{name} (exit {code}) changed the sentinel:\n{Changed(before, after)}\n{Indent(output)}");
            before = after;
            foreach (var marker in new[] { "run/apkgen-transaction", "tmp/apkgen-transaction", "apkgen-transaction" })
                if (File.Exists(Path.Combine(sentinel.Dir, marker)))
                    failures.Add($"{name}: the transaction marker is at {sentinel.Dir}/{marker}, outside the snapshot");
            var seen = output + string.Concat(Directory.EnumerateFiles(Path.Combine(sys.Top, "snapshots"), "generation.ini", SearchOption.AllDirectories).Select(File.ReadAllText))
                + string.Concat(Directory.EnumerateFiles(esp).Select(File.ReadAllText));
            foreach (var secret in new[] { SecretPackage, SecretWorld, SecretFlavor })
                if (seen.Contains(secret, StringComparison.Ordinal))
                    failures.Add($"{name} (exit {code}) read '{secret}' from the host through a link:\n{Indent(output)}");
            // Crashes are no answer either: exit 70 is apkgen's "internal error, report it".
            if (code == 70 || output.Contains("Unhandled exception", StringComparison.Ordinal))
                failures.Add($"{name} failed as an internal error (exit {code}):\n{Indent(output)}");
        }
        return failures;
    }

    static string Changed(string before, string after)
    {
        var a = before.Split('\n').ToHashSet();
        var b = after.Split('\n').ToHashSet();
        return string.Join('\n', a.Except(b).Select(l => "  - " + l).Concat(b.Except(a).Select(l => "  + " + l)));
    }

    static string Indent(string text) => string.Join('\n', text.TrimEnd().Split('\n').Select(l => "    | " + l));

    static void AssertNoFailures(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s):\n" + string.Join("\n\n", failures));

    /// <summary>
    /// The verbs did their work around the links: changes chrooted in the tree commit, apk
    /// (on the host, with --root) is refused with the data-error code, the menu was written.
    /// </summary>
    void AssertOutcomes(string esp, int changes, bool bootLinkedAway)
    {
        // A boot/ linked out of the generation leaves it no kernel inside: rEFInd gets no entry for it.
        Assert.Equal(bootLinkedAway ? ExitCodes.DataError : 0, Codes["apkgen-refind --stdout"]);
        Assert.Equal(changes, Codes["exec"]);
        Assert.Equal(changes, Codes["shell"]);
        Assert.Equal(ExitCodes.DataError, Codes["apk add"]);
        Assert.Equal(ExitCodes.DataError, Codes["apk update"]);
        foreach (var verb in new[] { "list", "status", "diff", "diff hostile", "pin", "unpin", "rollback", "gc", "apkgen-bootcheck status" })
            Assert.True(Codes[verb] == 0, $"{verb} exited {Codes[verb]}");
        Assert.True(File.Exists(Path.Combine(esp, "apkgen.conf")), "the menu was written (at least when linux-lts was added)");
    }

    [Fact]
    public void Absolute_links_at_every_path_apkgen_touches_lead_nothing_out_of_the_snapshot()
    {
        using var sentinel = new Sentinel();
        using var sys = CreateSystem(out var esp);
        var s = sentinel.Dir;
        var id = MakeHostileCurrent(sys, "absolute", root =>
        {
            Link(root, "etc/fstab", s + "/etc/fstab");
            Link(root, "etc/resolv.conf", "/tmp/resolv.conf"); // the guide's link, with tmp itself leading out
            Link(root, "tmp", s + "/tmp");
            Link(root, "run", s + "/run");
            Link(root, "var/log", s + "/log");
            Link(root, "var/cache", s + "/cache");
            Link(root, "var/tmp", s + "/vartmp");
            Link(root, "lib/apk/db/installed", s + "/etc/shadow");
            Link(root, "etc/apk/world", s + "/etc/apk/world");
            Link(root, "boot", s + "/boot");
            Link(root, "lib/modules", s + "/modules");
        });
        AssertNoFailures(RunEveryVerb(sys, sentinel, esp, id));
        AssertOutcomes(esp, 0, bootLinkedAway: true);
    }

    [Fact]
    public void Dot_dot_links_at_every_path_apkgen_touches_lead_nothing_out_of_the_snapshot()
    {
        using var sentinel = new Sentinel();
        using var sys = CreateSystem(out var esp);
        var s = sentinel.Dir;
        var id = MakeHostileCurrent(sys, "dotdot", root =>
        {
            Link(root, "etc/fstab", DotDot(s + "/etc/fstab"));
            Link(root, "etc/resolv.conf", DotDot(s + "/etc/resolv.conf"));
            Link(root, "tmp", DotDot(s + "/tmp"));
            Link(root, "run", DotDot(s + "/run"));
            Link(root, "var/log", DotDot(s + "/log"));
            Link(root, "var/cache/apk", DotDot(s + "/cache/apk"));
            Link(root, "var/tmp", DotDot(s + "/vartmp"));
            Link(root, "lib/apk/db/installed", DotDot(s + "/db/installed"));
            Link(root, "etc/apk/world", DotDot(s + "/world"));
            Link(root, "boot", DotDot(s + "/boot"));
        });
        AssertNoFailures(RunEveryVerb(sys, sentinel, esp, id));
        AssertOutcomes(esp, 0, bootLinkedAway: true);
    }

    [Fact]
    public void Directory_links_etc_var_lib_apk_db_run_and_tmp_lead_nothing_out_of_the_snapshot()
    {
        using var sentinel = new Sentinel();
        using var sys = CreateSystem(out var esp);
        var s = sentinel.Dir;
        var id = MakeHostileCurrent(sys, "dirs", root =>
        {
            Link(root, "etc/apk", s + "/etc/apk");
            Link(root, "lib/apk/db", DotDot(s + "/db"));
            Link(root, "var", s + "/var");
            Link(root, "run", DotDot(s + "/run"));
            Link(root, "tmp", s + "/tmp");
            Link(root, "boot", DotDot(s + "/boot"));
        });
        AssertNoFailures(RunEveryVerb(sys, sentinel, esp, id));
        AssertOutcomes(esp, 0, bootLinkedAway: true);
    }

    [Fact]
    public void An_etc_that_is_a_link_out_of_the_snapshot_leads_nothing_out_of_it()
    {
        using var sentinel = new Sentinel();
        using var sys = CreateSystem(out var esp);
        var s = sentinel.Dir;
        var id = MakeHostileCurrent(sys, "etc", root => Link(root, "etc", s + "/etc"));
        AssertNoFailures(RunEveryVerb(sys, sentinel, esp, id));
        // No /etc inside: no fstab to boot with, so no change is made from it.
        AssertOutcomes(esp, ExitCodes.DataError, bootLinkedAway: false);
    }

    [Fact]
    public void Links_out_of_the_snapshot_whose_targets_exist_inside_it_are_followed_inside_it()
    {
        // Absolute and .. links whose targets the snapshot also has: resolved as the
        // generation's root would, the mounts, the marker and resolv.conf land there, inside.
        // (Not under /tmp: tmp is mounted over, and a tmp -> /tmp/x link loops.)
        using var sentinel = new Sentinel("/var/lib");
        using var sys = CreateSystem(out var esp);
        var s = sentinel.Dir;
        var id = MakeHostileCurrent(sys, "inside", root =>
        {
            foreach (var d in new[] { "run", "log" })
                Directory.CreateDirectory(Path.Combine(root, s.TrimStart('/'), d));
            Link(root, "etc/resolv.conf", "/run/resolv.conf");
            Link(root, "run", s + "/run");
            Link(root, "var/log", DotDot(s + "/log"));
        });
        var (code, output) = sys.Apkgen("exec", "--", "/bin/sh", "-c",
            $"test -e /run/apkgen-transaction && test -e {s}/run/apkgen-transaction && grep -q nameserver /etc/resolv.conf && echo in-commons > /var/log/from-hostile");
        Assert.True(code == 0, output);
        Assert.Equal("in-commons\n", File.ReadAllText(Path.Combine(sys.Top, "commons/@var@log/from-hostile")));
        Assert.False(File.Exists(Path.Combine(sys.Top, "current/0/@", s.TrimStart('/'), "run/apkgen-transaction")), "the marker stays on the tmpfs");
        Assert.False(File.Exists(Path.Combine(sys.Top, "current/0/@", s.TrimStart('/'), "run/resolv.conf")), "resolv.conf stays on the tmpfs");
        AssertNoFailures(RunEveryVerb(sys, sentinel, esp, id));
        AssertOutcomes(esp, 0, bootLinkedAway: false);
    }

    [Fact]
    public void A_fifo_in_place_of_the_installed_database_is_refused_as_bad_input_not_waited_on()
    {
        using var sys = StandInSystem.Create();
        var id = MakeHostileCurrent(sys, "fifo", root =>
        {
            File.Delete(Path.Combine(root, "lib/apk/db/installed"));
            Sh.Run("mkfifo", Path.Combine(root, "lib/apk/db/installed"));
        });
        var started = DateTime.UtcNow;
        var (code, output) = sys.Apkgen("diff", "1", id);
        Assert.True(code == ExitCodes.DataError, output);
        Assert.Contains("is not a regular file", output);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "diff waited on the FIFO");
    }
}
