namespace Apkgen.Core;

/// <summary>
/// The apk entry point: <c>/usr/local/sbin/apk</c>, a link to <c>/usr/bin/apkgen</c>, first in
/// the PATH of root's login shell, sudo's secure_path and scripts, so that <c>apk</c> means the
/// wrapper (apkgen(8), THE APK WRAPPER). The package installs nothing under /usr/local (aports
/// takes no package that does); <c>apkgen init</c> makes the link as the administrator's own
/// choice, and the package's post-deinstall removes it again.
/// </summary>
public static class ApkEntryPoint
{
    /// <summary>The link, as seen from inside its root.</summary>
    public const string LinkPath = "/usr/local/sbin/apk";

    /// <summary>What the link points at: the apkgen executable the package installs.</summary>
    public const string TargetPath = "/usr/bin/apkgen";

    /// <summary>What <see cref="Plan"/> found in a root.</summary>
    public enum State
    {
        /// <summary>No link yet, and apkgen is installed in that root: make it.</summary>
        Missing,
        /// <summary>The link is there and points at apkgen.</summary>
        Present,
        /// <summary>apkgen is not installed in that root: a link would point at nothing.</summary>
        NoApkgen,
        /// <summary>Something else is at the link's place: the administrator's, left alone.</summary>
        Occupied,
    }

    /// <summary>Looks at the entry point of the root at <paramref name="rootDirPath"/> (no change).</summary>
    public static State Plan(string rootDirPath)
    {
        var link = InRoot(rootDirPath, LinkPath);
        var info = new FileInfo(link);
        if (info.LinkTarget is { } target) return target == TargetPath ? State.Present : State.Occupied;
        if (info.Exists || Directory.Exists(link)) return State.Occupied;
        return File.Exists(InRoot(rootDirPath, TargetPath)) ? State.Missing : State.NoApkgen;
    }

    /// <summary>
    /// Makes the link in the root at <paramref name="rootDirPath"/> when <see cref="Plan"/> says
    /// it is missing, and says what it did or why not; never replaces anything.
    /// </summary>
    public static State Install(SystemContext ctx, string rootDirPath)
    {
        var state = Plan(rootDirPath);
        var where = rootDirPath == "/" ? LinkPath : $"{LinkPath} in {rootDirPath}";
        switch (state)
        {
        case State.Missing:
            var link = InRoot(rootDirPath, LinkPath);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(link)!);
                File.CreateSymbolicLink(link, TargetPath);
                ctx.Say($"linked {where} to {TargetPath}: 'apk' now runs the wrapper (apkgen(8), THE APK WRAPPER)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ctx.Say($"could not link {where} to {TargetPath} ({e.Message}); 'apk' stays the real apk there");
            }
            break;
        case State.Occupied:
            ctx.Say($"{where} exists and is not a link to {TargetPath}: left as it is ('apk' may not run the wrapper)");
            break;
        }
        return state;
    }

    static string InRoot(string rootDirPath, string path) => Path.Combine(rootDirPath, path.TrimStart('/'));
}
