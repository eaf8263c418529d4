using System.Text;
using System.Text.RegularExpressions;
using Apkgen.Core.Edge;
using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// Issue 14, "the edge complete", kept so: the interfaces of everything with a side effect are
/// in <c>src/Core/Edge/</c>, their adapters in <c>src/Core/Linux/</c>, and no
/// other source file under <c>src/</c> reaches processes, /proc, /sys, raw syscalls or rename
/// by itself. The checks read the source as it is in the repository (comments excluded) and
/// the Apkgen.Core assembly by reflection; each failure names file:line.
/// </summary>
public class ArchitectureTests
{
    static readonly string Src = Path.Combine(Sh.RepoRoot, "src");
    static readonly string LinuxDir = Path.Combine(Src, "Core", "Linux") + Path.DirectorySeparatorChar;
    static readonly string EdgeDir = Path.Combine(Src, "Core", "Edge") + Path.DirectorySeparatorChar;

    /// <summary>What only an adapter in Linux/ may use, and why each is the edge's.</summary>
    static readonly (Regex Pattern, string What)[] EdgeOnly =
    [
        (new(@"\bNative\."), "a raw syscall (Linux.Native)"),
        (new(@"""/proc"), "a /proc read"),
        (new(@"""/sys"), "a /sys read"),
        (new(@"\bFile\.Move\b"), "a rename (File.Move)"),
        (new(@"\bDirectory\.Move\b"), "a rename (Directory.Move)"),
        (new(@"\bSystem\.Diagnostics\.Process\b|\bProcessStartInfo\b|\bProcess\.(Start|GetProcess)"), "a process (System.Diagnostics.Process)"),
        (new(@"\bCliWrap\b"), "a process (CliWrap)"),
    ];

    /// <summary>
    /// Uses outside Linux/ that are allowed, as "path relative to src/: the line's text". Empty:
    /// the errno numbers the library tells apart (ErrorHandler's ENOSPC, Session's mount
    /// errors) are in <c>Errno</c>, not read from <c>Native</c>. Nothing in src/Hooks is ever
    /// listed here: its /proc/self reads move into the edge.
    /// </summary>
    static readonly HashSet<string> Allowed = [];

    [Fact]
    public void No_source_outside_Linux_touches_processes_proc_sys_rename_or_raw_syscalls()
    {
        var found = new List<string>();
        var files = Directory.EnumerateFiles(Src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(LinuxDir, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 100, $"only {files.Count} source files found under {Src}: the scan is not reading the repository");
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(Src, file);
            var lines = WithoutComments(File.ReadAllText(file)).Split('\n');
            for (var i = 0; i < lines.Length; i++)
                foreach (var (pattern, what) in EdgeOnly)
                    if (pattern.IsMatch(lines[i]) && !Allowed.Contains($"{relative}: {lines[i].Trim()}"))
                        found.Add($"src/{relative}:{i + 1}: {what}: {lines[i].Trim()}");
        }
        Assert.True(found.Count == 0, "outside src/Core/Linux/ (put it behind an interface in Edge/ with its adapter in Linux/):\n" + string.Join('\n', found));
    }

    [Fact]
    public void The_comment_stripper_keeps_strings_and_drops_comments()
    {
        var text = WithoutComments("""
            var a = "/proc/x"; // Native.kill
            /* File.Move
            Directory.Move
            */ var b = @"C:\"; var c = "http://x"; /// "/sys
            var d = '"'; var e = $"{a}/sys"; var f = "\"/proc";
            """);
        var lines = text.Split('\n').Select(l => l.TrimEnd());
        Assert.Equal("""
            var a = "/proc/x";


               var b = @"C:\"; var c = "http://x";
            var d = '"'; var e = $"{a}/sys"; var f = "\"/proc";
            """, string.Join('\n', lines));
    }

    static readonly Type[] EdgeInterfaces = typeof(IBtrfs).Assembly.GetTypes()
        .Where(t => t.IsInterface && t.Namespace == "Apkgen.Core.Edge").ToArray();

    [Fact]
    public void Every_interface_of_the_library_is_an_edge_interface_in_Edge()
    {
        var types = typeof(IBtrfs).Assembly.GetTypes().Where(t => t.IsInterface && !IsCompilerGenerated(t)).ToList();
        Assert.Contains(typeof(IMounts), types);
        var wrong = types
            .Where(t => t.Namespace != "Apkgen.Core.Edge" || !DeclaredUnder(t, EdgeDir))
            .Select(t => $"{t.FullName}: declared in {string.Join(", ", DeclaringFiles(t).DefaultIfEmpty("no file found"))}")
            .ToList();
        Assert.True(wrong.Count == 0, "interfaces outside src/Core/Edge/ (namespace Apkgen.Core.Edge):\n" + string.Join('\n', wrong));
    }

    /// <summary>
    /// The implementations of the edge that are not adapters, and why. <c>NoFaultPoints</c>: the
    /// shipped <see cref="IFaultPoints"/>, whose every method does nothing (a crash test's stop
    /// point that is never armed); it touches nothing, so it is not an adapter.
    /// </summary>
    static readonly HashSet<string> NotAdapters = ["Apkgen.Core.Edge.NoFaultPoints"];

    [Fact]
    public void Every_class_implementing_an_edge_interface_is_an_adapter_in_Linux()
    {
        var implementers = typeof(IBtrfs).Assembly.GetTypes()
            .Where(t => !t.IsInterface && !IsCompilerGenerated(t) && t.GetInterfaces().Any(EdgeInterfaces.Contains))
            .ToList();
        Assert.Contains(implementers, t => t.Name == "LinuxBtrfs");
        var wrong = implementers
            .Where(t => !NotAdapters.Contains(t.FullName!))
            .Where(t => t.Namespace != "Apkgen.Core.Linux" || !DeclaredUnder(t, LinuxDir))
            .Select(t => $"{t.FullName}: declared in {string.Join(", ", DeclaringFiles(t).DefaultIfEmpty("no file found"))}")
            .ToList();
        Assert.True(wrong.Count == 0, "edge implementations outside src/Core/Linux/:\n" + string.Join('\n', wrong));
        foreach (var name in NotAdapters)
            Assert.True(implementers.Any(t => t.FullName == name), $"{name} is allowed but no longer implements an edge interface: drop it from the list");
    }

    [Fact]
    public void No_executable_implements_an_edge_interface()
    {
        // The executables are not referenced as assemblies here: their source is searched for a
        // type declaration whose base list names an edge interface.
        var names = string.Join('|', EdgeInterfaces.Select(t => Regex.Escape(t.Name)));
        var declaration = new Regex($@"\b(class|record|struct)\s+\w+[^{{;=]*:[^{{;=]*\b({names})\b");
        var found = new List<string>();
        foreach (var project in new[] { "Hooks", "BootCheck", "Refind" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Src, project), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
                var lines = WithoutComments(File.ReadAllText(file)).Split('\n');
                for (var i = 0; i < lines.Length; i++)
                    if (declaration.IsMatch(lines[i])) found.Add($"src/{Path.GetRelativePath(Src, file)}:{i + 1}: {lines[i].Trim()}");
            }
        Assert.True(found.Count == 0, "edge implementations in an executable (adapters live in src/Core/Linux/):\n" + string.Join('\n', found));
    }

    static bool IsCompilerGenerated(Type t) => t.Name.Contains('<') || t.FullName is null;

    static bool DeclaredUnder(Type t, string dir) => DeclaringFiles(t) is { Count: > 0 } files && files.All(f => f.StartsWith(dir, StringComparison.Ordinal));

    static readonly Dictionary<string, string> Sources = Directory.EnumerateFiles(Path.Combine(Src, "Core"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
        .ToDictionary(f => f, f => WithoutComments(File.ReadAllText(f)));

    /// <summary>The files of the library (src/Core) that declare a type of this name.</summary>
    static List<string> DeclaringFiles(Type t)
    {
        var name = t.Name.Split('`')[0];
        var declaration = new Regex($@"\b(class|record|struct|interface)\s+{Regex.Escape(name)}\b");
        return [.. Sources.Where(kv => declaration.IsMatch(kv.Value)).Select(kv => kv.Key)];
    }

    /// <summary>
    /// C# text with its comments blanked (newlines kept, so line numbers stay): strings, verbatim
    /// and interpolated strings and char literals are kept as they are.
    /// </summary>
    static string WithoutComments(string text)
    {
        var o = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n') { o.Append(' '); i++; }
            }
            else if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                for (; i < end; i++) o.Append(text[i] == '\n' ? '\n' : ' ');
            }
            else if (c == '"' && text.AsSpan(i).StartsWith("\"\"\""))
            {
                // A raw string literal: up to the same run of quotes.
                var run = 0;
                while (i + run < text.Length && text[i + run] == '"') run++;
                var end = text.IndexOf(new string('"', run), i + run, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + run;
                o.Append(text, i, end - i);
                i = end;
            }
            else if (c == '"' || c == '\'')
            {
                var verbatim = c == '"' && i > 0 && (text[i - 1] == '@' || (text[i - 1] == '$' && i > 1 && text[i - 2] == '@'));
                o.Append(c);
                i++;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (verbatim && d == '"' && i + 1 < text.Length && text[i + 1] == '"') { o.Append("\"\""); i += 2; continue; }
                    if (!verbatim && d == '\\' && i + 1 < text.Length) { o.Append(d).Append(text[i + 1]); i += 2; continue; }
                    o.Append(d);
                    i++;
                    if (d == c || d == '\n') break;
                }
            }
            else
            {
                o.Append(c);
                i++;
            }
        }
        return o.ToString();
    }
}
