using Apkgen.TestSupport;

namespace Apkgen.Generations.Tests;

/// <summary>
/// <c>apkgen init</c>'s bootstrap (<c>apk --initdb add alpine-base</c>) against the stand-in
/// apk: the kit's repository has no alpine-base, busybox or musl packages, so the real apk
/// cannot bootstrap a root here. Every other wrapper scenario runs against the real apk in
/// RealApkWrapperTests and RealApkFindingTests.
/// </summary>
public class WrapperTests
{
    static string Ini(StandInSystem s, string id) => File.ReadAllText(Path.Combine(s.Top, "snapshots", id, "generation.ini"));

    [Fact]
    public void Init_bootstraps_the_first_generation_with_apk_initdb_add_alpine_base()
    {
        using var s = StandInSystem.Create();
        var id = s.Slot(0);
        Assert.True(File.Exists(Path.Combine(s.Top, "current/0/@/bin/busybox")));
        Assert.Contains("alpine-base", File.ReadAllText(Path.Combine(s.Top, "current/0/@/etc/apk/world")));
        Assert.Contains("P:alpine-base", File.ReadAllText(Path.Combine(s.Top, "current/0/@/lib/apk/db/installed")));
        Assert.Contains("command = exec /bin/sh -c echo", Ini(s, id));
    }
}
