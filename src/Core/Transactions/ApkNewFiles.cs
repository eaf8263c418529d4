using System.Text;
using Apkgen.Core.Files;
using Apkgen.Core.Linux;

namespace Apkgen.Core.Transactions;

/// <summary>
/// The <c>FILE.apk-new</c> files a change created (issue 17, part 3). apk keeps a protected
/// file the administrator changed and writes the package's version beside it with the suffix
/// <c>.apk-new</c>; only under a protected path (apk-tools database.c: the .apk-new case
/// requires a protect mode other than none), which are <c>etc</c> by default and what the
/// root's <c>etc/apk/protected_paths.d/*.list</c> add. So only those trees are walked, not the root.
/// </summary>
public static class ApkNewFiles
{
    /// <summary>The suffix apk gives the package's version of a kept file (apk-tools context.c, apk 2 and 3).</summary>
    public const string Suffix = ".apk-new";

    /// <summary>Where apk reads extra protected paths, relative to the root.</summary>
    public const string ProtectedPathsDir = "etc/apk/protected_paths.d";

    /// <summary>
    /// The directories to walk, relative to the root: <c>etc</c> (apk's built-in <c>+etc</c>),
    /// and for each line of the lists that protects something (<c>+</c>, <c>@</c>, <c>!</c> or
    /// no prefix; not <c>-</c> or a comment) its leading components before any wildcard, as
    /// apk matches the patterns with fnmatch. A directory under another one is dropped.
    /// </summary>
    public static IReadOnlyList<string> ProtectedRoots(IEnumerable<string> listLines)
    {
        var roots = new List<string> { "etc" };
        foreach (var raw in listLines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '-') continue;
            if (line[0] is '+' or '@' or '!') line = line[1..];
            var fixedPart = new List<string>();
            foreach (var c in line.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (c.IndexOfAny(['*', '?', '[', '\\']) >= 0 || c is "." or "..") break;
                fixedPart.Add(c);
            }
            // A pattern that starts with a wildcard could match anywhere: walk nothing for it
            // rather than the whole root (a change's cost must stay small); say so in the docs.
            if (fixedPart.Count > 0) roots.Add(string.Join('/', fixedPart));
        }
        var kept = new List<string>();
        foreach (var r in roots.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            if (!kept.Any(k => r.StartsWith(k + "/", StringComparison.Ordinal))) kept.Add(r);
        return kept;
    }

    /// <summary>
    /// The .apk-new files in <paramref name="newRoot"/> that <paramref name="baseRoot"/> does not
    /// have as the same file: absent there, or rewritten (another inode or ctime; a snapshot keeps
    /// both). Absolute paths as seen inside the generation, sorted. Symlinks are never followed.
    /// </summary>
    public static IReadOnlyList<string> Find(string baseRoot, string newRoot)
    {
        var lines = new List<string>();
        var listDir = Path.Combine(newRoot, ProtectedPathsDir);
        if (!HasSymlinkOnTheWay(newRoot, ProtectedPathsDir) && Directory.Exists(listDir))
            foreach (var list in Directory.EnumerateFiles(listDir, "*.list"))
                if (!Path.GetFileName(list).StartsWith('.') && !IsSymlink(list))
                {
                    try { lines.AddRange(File.ReadAllLines(list)); }
                    catch (IOException) { } // unreadable: apk skips it too
                }
        var found = new List<string>();
        foreach (var root in ProtectedRoots(lines))
        {
            if (HasSymlinkOnTheWay(newRoot, root)) continue;
            var start = Path.Combine(newRoot, root);
            if (!Directory.Exists(start)) continue;
            Walk(start, found);
        }
        return found
            .Where(path => IsNew(path, Path.Combine(baseRoot, Path.GetRelativePath(newRoot, path))))
            .Select(path => "/" + Path.GetRelativePath(newRoot, path))
            .Order(StringComparer.Ordinal).ToList();
    }

    static void Walk(string dir, List<string> found)
    {
        IEnumerable<FileSystemInfo> entries;
        try { entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", DirectoryEntries.Unfiltered); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var e in entries)
        {
            if ((e.Attributes & FileAttributes.ReparsePoint) != 0) continue; // a symlink: never followed
            if (e is DirectoryInfo) Walk(e.FullName, found);
            else if (e.Name.EndsWith(Suffix, StringComparison.Ordinal) && e.Name.Length > Suffix.Length) found.Add(e.FullName);
        }
    }

    static bool IsSymlink(string path) => (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;

    static bool HasSymlinkOnTheWay(string root, string relative)
    {
        var path = root;
        foreach (var c in relative.Split('/'))
        {
            path = Path.Combine(path, c);
            if (!Path.Exists(path)) return false;
            if (IsSymlink(path)) return true;
        }
        return false;
    }

    static bool IsNew(string path, string basePath)
    {
        var now = Identity(path);
        return now is null || now != Identity(basePath);
    }

    /// <summary>(inode, ctime): equal in a snapshot and its source until the file is rewritten.</summary>
    static (ulong Ino, long Sec, uint Nsec)? Identity(string path) => FileStatus.InodeAndChangeTime(path);

    /// <summary>
    /// The lines printed after a change that created .apk-new files: which, and the one way to
    /// merge them (a shell in a new generation: the running root is read-only).
    /// </summary>
    public static IReadOnlyList<string> Report(IReadOnlyList<string> created)
    {
        if (created.Count == 0) return [];
        var lines = new List<string>
        {
            created.Count == 1
                ? "apk kept a configuration file that was changed here and wrote the package's version beside it:"
                : $"apk kept {created.Count} configuration files that were changed here and wrote the package's version beside each:",
        };
        lines.AddRange(created.Select(p => "  " + Printable.Escape(p)));
        var first = Printable.Escape(created[0][..^Suffix.Length]);
        lines.Add($"to merge: apkgen shell, then for each file: diff -u {first} {first}{Suffix}; edit {first} (or mv {first}{Suffix} {first}); rm -f {first}{Suffix}");
        return lines;
    }

    /// <summary>generation.ini's form of the list: space-separated, with %, spaces and control characters as %XX.</summary>
    public static string Encode(IReadOnlyList<string> paths) => string.Join(' ', paths.Select(EncodeOne));

    /// <summary>The inverse of <see cref="Encode"/>.</summary>
    public static IReadOnlyList<string> Decode(string? text) =>
        (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();

    static string EncodeOne(string path)
    {
        var bytes = new List<byte>();
        foreach (var b in Encoding.UTF8.GetBytes(path))
            if (b <= 0x20 || b == '%' || b == 0x7f) bytes.AddRange(Encoding.ASCII.GetBytes("%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            else bytes.Add(b);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
