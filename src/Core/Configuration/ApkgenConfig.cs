using Microsoft.Extensions.Configuration;

namespace Apkgen.Core.Configuration;

/// <summary>
/// <c>/etc/apkgen.conf</c> (apkgen.conf(5)): INI, every key optional with its default here.
/// The shipped sample shows every key, commented, with the same default.
/// </summary>
public sealed record ApkgenConfig
{
    /// <summary>Where the configuration is read from unless <c>--config</c> says otherwise.</summary>
    public const string DefaultFilePath = "/etc/apkgen.conf";

    /// <summary>[layout]</summary>
    public LayoutSection Layout { get; init; } = new();
    /// <summary>[apk]</summary>
    public ApkSection Apk { get; init; } = new();
    /// <summary>[refind]</summary>
    public RefindSection Refind { get; init; } = new();
    /// <summary>[bootcheck]</summary>
    public BootcheckSection Bootcheck { get; init; } = new();
    /// <summary>[gc]</summary>
    public GcSection Gc { get; init; } = new();
    /// <summary>[auto]</summary>
    public AutoSection Auto { get; init; } = new();
    /// <summary>[change]</summary>
    public ChangeSection Change { get; init; } = new();

    /// <summary>
    /// Reads the file. A missing file at the default path means all defaults; a missing file
    /// named explicitly is an error, as are unknown sections or keys and malformed values.
    /// </summary>
    public static ApkgenConfig Load(string? filePath)
    {
        var path = filePath ?? DefaultFilePath;
        if (Directory.Exists(path))
            throw new ApkgenException($"configuration file {path} is a directory, not a file",
                filePath is null ? "remove it or put apkgen.conf(5)'s settings in a file there" : "name a file with --config", ExitCodes.Config);
        if (!File.Exists(path))
        {
            if (filePath is null) return new ApkgenConfig();
            throw new ApkgenException($"configuration file {path} does not exist",
                "name an existing file with --config, or leave it out to use /etc/apkgen.conf", ExitCodes.Config);
        }
        if (Refusal(path) is { } refused) throw refused;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            if (Linux.Privileges.EffectiveUserId != 0)
                throw new ApkgenException($"cannot read the configuration file {path}: permission denied", "apkgen must run as root: run it with doas or sudo", ExitCodes.NoPermission, e);
            throw new ApkgenException($"cannot read the configuration file {path}: {ErrorHandler.Describe(e)}",
                "make it a readable regular file (apkgen.conf(5))", ExitCodes.Config, e);
        }
        var doc = ConfText.Parse(text);
        if (doc.Problems.Count > 0)
            throw new ApkgenException($"{path}: {doc.Problems[0].Message}", "fix the line; apkgen.conf(5) shows the format", ExitCodes.Config);
        var root = new ConfigurationBuilder().AddInMemoryCollection(doc.AsConfiguration()).Build();
        return Bind(root, path);
    }

    /// <summary>
    /// The refusal of a configuration file root must not trust (its <c>[apk] path</c> runs as
    /// root): writable by its group or every user, or not owned by root. Null when it may be read.
    /// </summary>
    public static ApkgenException? Refusal(string path) =>
        TrustedFile.Distrust(path) is { } why
            ? new ApkgenException($"refusing the configuration file {path}: {why}, and its [apk] path would run as root",
                $"make it owned by root and writable by root only: chown root:root {path}; chmod 644 {path}", ExitCodes.Config)
            : null;

    /// <summary>Binds and validates configuration already parsed (tests use in-memory text).</summary>
    public static ApkgenConfig Bind(IConfiguration root, string filePath)
    {
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var config = new ApkgenConfig
        {
            Layout = LayoutSection.Read(new ConfigReader(root, "layout", filePath, known)),
            Apk = ApkSection.Read(new ConfigReader(root, "apk", filePath, known)),
            Refind = RefindSection.Read(new ConfigReader(root, "refind", filePath, known)),
            Bootcheck = BootcheckSection.Read(new ConfigReader(root, "bootcheck", filePath, known)),
            Gc = GcSection.Read(new ConfigReader(root, "gc", filePath, known)),
            Auto = AutoSection.Read(new ConfigReader(root, "auto", filePath, known)),
            Change = ChangeSection.Read(new ConfigReader(root, "change", filePath, known)),
        };
        foreach (var kv in root.AsEnumerable())
        {
            if (known.Contains(kv.Key)) continue;
            var colon = kv.Key.IndexOf(':');
            var what = colon < 0 ? $"section [{kv.Key}]" : $"key '{kv.Key[(colon + 1)..]}' in [{kv.Key[..colon]}]";
            throw new ApkgenException($"{filePath}: unknown {Printable.Escape(what)}",
                "remove or correct it; apkgen.conf(5) lists every section and key", ExitCodes.Config);
        }
        return config;
    }
}
