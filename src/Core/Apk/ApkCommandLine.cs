namespace Apkgen.Core.Apk;

/// <summary>What the apk wrapper does with a command line.</summary>
public enum ApkAction
{
    /// <summary>exec the real apk directly: read-only applets, --simulate, help, version, unknown applets, another --root.</summary>
    PassThrough,
    /// <summary>Run apk in a new snapshot and commit it as a generation if it succeeds and changed something.</summary>
    Transaction,
    /// <summary>
    /// Run apk in a throwaway snapshot and always discard it: applets that take apk's lock
    /// (which fails on the read-only root) but change no package: update, cache.
    /// </summary>
    Ephemeral,
}

/// <summary>An apk command line, classified (apk-tools 2.14 and v3 applets).</summary>
public sealed record ApkCommandLine(string? Applet, ApkAction Action, string? Root)
{
    /// <summary>
    /// A read-only applet on the live root (no other <c>--root</c>, not help or version): what
    /// it shows depends on which root is "the system" while a change waits for the reboot.
    /// </summary>
    public bool ReadsLiveRoot { get; init; }

    static readonly HashSet<string> Mutating = new(StringComparer.Ordinal) { "add", "del", "upgrade", "fix", "convdb" };
    static readonly HashSet<string> LockOnly = new(StringComparer.Ordinal) { "update", "cache" };

    // Every applet of apk-tools 2.14 and v3. apk takes as its applet the first argument that
    // does not begin with '-' and names one of them, even if it is an option's value
    // (deduce_applet in apk.c): "apk -X add nginx" runs add.
    static readonly HashSet<string> Applets = new(StringComparer.Ordinal)
    {
        "add", "del", "fix", "update", "upgrade", "cache", "info", "list", "dot", "policy", "stats", "search",
        "fetch", "audit", "verify", "version", "index", "manifest", "convdb", "convndx", "query", "mkpkg",
        "mkndx", "extract", "adbdump", "adbgen", "adbsign",
    };

    // Global options of apk 2.14/v3 that take a value in the next argument (apk.8, "GLOBAL
    // OPTIONS"; v3's --from, --preupgrade-depends and --repository-config, apk.c OPT_GLOBAL_*),
    // plus the commit option --virtual/-t of add.
    // Needed to know which arguments are --root's value or options of their own.
    static readonly HashSet<string> TakesValue = new(StringComparer.Ordinal)
    {
        "-p", "--root", "-X", "--repository", "--arch", "--cache-dir", "--cache-max-age", "--keys-dir",
        "--repositories-file", "--timeout", "--wait", "--progress-fd", "--from", "--uvol-manager", "-t", "--virtual",
        "--preupgrade-depends", "--repository-config",
    };

    /// <summary>
    /// Classifies an apk command line (the arguments after <c>apk</c>). <paramref name="realPath"/>
    /// resolves <c>--root</c> (default realpath(3)): a root that resolves to <c>/</c> is the
    /// live system however it is written.
    /// </summary>
    public static ApkCommandLine Parse(IReadOnlyList<string> args, Func<string, string?>? realPath = null)
    {
        string? root = null;
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
                // Clustered short options (-qU); -p, -X and -t take the rest or the next argument.
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
            }
        }
        var applet = args.FirstOrDefault(a => !a.StartsWith('-') && Applets.Contains(a));

        // Another root than / is not the live system: apk may change it directly.
        if (root is not null && (realPath ?? Linux.RealPaths.Resolve)(root) != "/")
            return new(applet, ApkAction.PassThrough, root);
        if (help || version || applet is null)
            return new(applet, ApkAction.PassThrough, root);
        // apk 2.14 and 3 both drop the database's write open under --simulate (no lock, no
        // log, nothing written; tried on a read-only root): it only reads, like info.
        if (simulate)
            return new(applet, ApkAction.PassThrough, root) { ReadsLiveRoot = true };
        if (Mutating.Contains(applet))
            return new(applet, ApkAction.Transaction, root);
        if (LockOnly.Contains(applet))
            return new(applet, ApkAction.Ephemeral, root);
        return new(applet, ApkAction.PassThrough, root) { ReadsLiveRoot = true };
    }
}
