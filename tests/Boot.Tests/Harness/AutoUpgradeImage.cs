namespace Apkgen.Boot.Tests.Harness;

/// <summary>Trial mode with unattended upgrades on (issue 17, part 1): [auto] policy = reboot with
/// a window around the time the image is built (UTC, as the guest's clock and zone are: the RTC is
/// the host's UTC and the minirootfs has no /etc/localtime), hello 1.0 in the first generation
/// for an upgrade to find, and a commit hook that breaks the next change when asked to.</summary>
public sealed class AutoUpgradeImage : ApkgenImage
{
    /// <summary>Touched on the /var/cache commons, the next change's post-commit hook replaces
    /// /sbin/init with a script that exits at once: that generation's kernel panics ("Attempted to
    /// kill init!"), as an upgrade with a broken kernel or initramfs would.</summary>
    public const string BreakNextChangeFlag = "/var/cache/apkgen-test-break-next-change";

    /// <inheritdoc/>
    protected override string Mode => "trial";

    /// <inheritdoc/>
    protected override string Preinstall => "hello";

    // A scenario takes under an hour; the window starts an hour back so a slow build stays inside.
    static readonly DateTime Built = DateTime.UtcNow;

    /// <summary>The [auto] window written into the guest's apkgen.conf.</summary>
    public static string Window => $"{Built.AddHours(-1):HH:mm}-{Built.AddHours(3):HH:mm}";

    /// <inheritdoc/>
    protected override string ExtraConfig => $"""
        [auto]
        policy = reboot
        window = {Window}
        interval = 1d

        """.Replace("\r", "");

    /// <inheritdoc/>
    protected override async Task AddToOverlayAsync(string overlayDir)
    {
        await base.AddToOverlayAsync(overlayDir);
        var hook = Path.Combine(overlayDir, "etc", "apk", "commit_hooks.d", "zz-apkgen-test-break-init");
        File.WriteAllText(hook, $"""
            #!/bin/sh
            # Boot tests (AutoUpgradeImage): break the change this runs in when the flag is there.
            [ "$1" = post-commit ] || exit 0
            [ -e {BreakNextChangeFlag} ] || exit 0
            rm -f {BreakNextChangeFlag} /sbin/init
            printf '#!/bin/sh\nexit 1\n' >/sbin/init
            chmod 755 /sbin/init
            echo "APKGEN-TEST-HOOK broke /sbin/init in this change"
            exit 0

            """.Replace("\r", ""));
        File.SetUnixFileMode(hook, (UnixFileMode)0b111_101_101);
    }
}
