using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// The three executables exactly as they ship: scripts/publish's Native AOT output. CI has
/// published them already (.ci/run passes the directory as APKGEN_BOOT_BIN); otherwise this
/// publishes them once into a scratch directory (minutes).
/// </summary>
public sealed class ShippedExecutables : IDisposable
{
    /// <summary>The executables scripts/publish makes.</summary>
    public static readonly string[] Names = ["apkgen", "apkgen-refind", "apkgen-bootcheck"];

    readonly string? _scratch;

    /// <summary>Takes CI's publish or runs scripts/publish.</summary>
    public ShippedExecutables()
    {
        if (Environment.GetEnvironmentVariable("APKGEN_BOOT_BIN") is { Length: > 0 } given && Names.All(n => File.Exists(Path.Combine(given, n))))
        {
            DirPath = given;
            return;
        }
        _scratch = Directory.CreateTempSubdirectory("apkgen-shipped-").FullName;
        var (code, output) = Sh.Try(Path.Combine(Sh.RepoRoot, "scripts/publish"), _scratch);
        if (code != 0) throw new InvalidOperationException($"scripts/publish {_scratch} failed (exit {code}):\n{output}");
        DirPath = _scratch;
    }

    /// <summary>The directory holding apkgen, apkgen-refind and apkgen-bootcheck.</summary>
    public string DirPath { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_scratch is not null) Directory.Delete(_scratch, recursive: true);
    }
}
