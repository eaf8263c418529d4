namespace Apkgen.Generations.Apk;

/// <summary>What the apk wrapper does with a command line.</summary>
public enum ApkAction
{
    /// <summary>exec the real apk directly: read-only applets, help, version, unknown applets, another --root.</summary>
    PassThrough,
    /// <summary>Run apk in a new snapshot and commit it as a generation if it succeeds and changed something.</summary>
    Transaction,
    /// <summary>
    /// Run apk in a throwaway snapshot and always discard it: applets that take apk's lock
    /// (which fails on the read-only root) but change no package: update, cache, --simulate.
    /// </summary>
    Ephemeral,
}

/// <summary>An apk command line, classified (apk-tools 2.14 and v3 applets).</summary>
public sealed record ApkCommandLine(string? Applet, ApkAction Action, string? Root)
{
    static readonly HashSet<string> Mutating = new(StringComparer.Ordinal) { "add", "del", "upgrade", "fix", "convdb" };
    static readonly HashSet<string> LockOnly = new(StringComparer.Ordinal) { "update", "cache" };

    // Global options of apk 2.14/v3 that take a value in the next argument (apk.8, "GLOBAL
    // OPTIONS"), plus the commit option --virtual/-t of add. Needed to find the applet,
    // which is the first argument that is neither an option nor an option's value.
    static readonly HashSet<string> TakesValue = new(StringComparer.Ordinal)
    {
        "-p", "--root", "-X", "--repository", "--arch", "--cache-dir", "--cache-max-age", "--keys-dir",
        "--repositories-file", "--timeout", "--wait", "--progress-fd", "--cache-packages", "-t", "--virtual",
    };

    /// <summary>Classifies an apk command line (the arguments after <c>apk</c>).</summary>
    public static ApkCommandLine Parse(IReadOnlyList<string> args)
    {
        string? applet = null, root = null;
        bool simulate = false, help = false, version = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--") break;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=');
                var name = eq < 0 ? a : a[..eq];
                string? value = eq < 0 ? null : a[(eq + 1)..];
                if (value is null && TakesValue.Contains(name) && i + 1 < args.Count) value = args[++i];
                switch (name)
                {
                    case "--root": root = value; break;
                    case "--simulate": simulate = true; break;
                    case "--help": help = true; break;
                    case "--version": version = true; break;
                }
                continue;
            }
            if (a.Length > 1 && a[0] == '-')
            {
                // Clustered short options (-qU); -p and -X take the rest or the next argument.
                for (var j = 1; j < a.Length; j++)
                {
                    var c = a[j];
                    if (c is 'p' or 'X' or 't')
                    {
                        var value = j + 1 < a.Length ? a[(j + 1)..] : i + 1 < args.Count ? args[++i] : null;
                        if (c == 'p') root = value;
                        break;
                    }
                    if (c == 's') simulate = true;
                    else if (c == 'h') help = true;
                    else if (c == 'V') version = true;
                }
                continue;
            }
            applet ??= a;
        }

        // Another root than / is not the live system: apk may change it directly.
        if (root is not null && root.TrimEnd('/').Length > 0)
            return new(applet, ApkAction.PassThrough, root);
        if (help || version || applet is null)
            return new(applet, ApkAction.PassThrough, root);
        if (Mutating.Contains(applet))
            return new(applet, simulate ? ApkAction.Ephemeral : ApkAction.Transaction, root);
        if (LockOnly.Contains(applet))
            return new(applet, ApkAction.Ephemeral, root);
        return new(applet, ApkAction.PassThrough, root);
    }
}
