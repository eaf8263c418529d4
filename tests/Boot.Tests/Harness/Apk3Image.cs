namespace Apkgen.Boot.Tests.Harness;

/// <summary>Counter mode with apk-tools 3.0.6 as the guest's /sbin/apk (the kit's static build,
/// over the minirootfs's 2.14.4, as an Alpine 3.23 system has it): the same database, world and
/// repository, the v3 command line.</summary>
public sealed class Apk3Image : ApkgenImage
{
    /// <inheritdoc/>
    protected override string Mode => "counter";

    /// <inheritdoc/>
    protected override async Task AddToOverlayAsync(string overlayDir)
    {
        await base.AddToOverlayAsync(overlayDir);
        var kit = (await Shell.RunAsync(Path.Combine(Shell.RepoRoot, "scripts", "alpine-kit"), [])).Trim();
        var sbin = Path.Combine(overlayDir, "sbin");
        Directory.CreateDirectory(sbin);
        File.Copy(Path.Combine(kit, "apk3", "apk"), Path.Combine(sbin, "apk"), overwrite: true);
        File.SetUnixFileMode(Path.Combine(sbin, "apk"), (UnixFileMode)0b111_101_101);
    }
}
