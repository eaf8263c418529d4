using Apkgen.Core;
using Apkgen.Core.Model;
using Apkgen.TestSupport;

namespace Apkgen.BootCheck.Tests;

/// <summary>The apkgen-bootcheck executable as OpenRC runs it: its own private mount of a loop device.</summary>
public class CliTests
{
    static (int Code, string Output) Run(Rig rig, params string[] args) =>
        Sh.TryIn(rig.FixtureEnv(), null, "dotnet", [ApkgenCli.BuildOutput("BootCheck", "apkgen-bootcheck"), "--device", rig.Device, .. args]);

    [Fact]
    public void Boot_spends_an_attempt_of_the_pending_first_generation_and_leaves_no_mount()
    {
        using var rig = new Rig();
        rig.Boot(rig.First);
        var (code, output) = Run(rig, "boot");
        Assert.True(code == 0, output);
        Assert.Contains($"{rig.First} is pending: boot attempt 1 of 3", output);
        Assert.Equal(2, rig.Info(rig.First).AttemptsLeft);
        Assert.Empty(LoopBtrfs.LeakedMounts("/run/apkgen"));
        // The same boot again counts nothing.
        (code, output) = Run(rig, "boot");
        Assert.Equal(0, code);
        Assert.Contains("already ran in this boot", output);
        Assert.Equal(2, rig.Info(rig.First).AttemptsLeft);
    }

    [Fact]
    public void Boot_with_nothing_to_do_says_nothing()
    {
        using var rig = new Rig();
        Assert.Equal(0, rig.Runner.MarkGood(rig.First));
        rig.Boot(rig.First);
        var (code, output) = Run(rig, "boot");
        Assert.Equal(0, code);
        Assert.Equal("", output);
    }

    [Fact]
    public void Status_and_confirm_report_what_they_did()
    {
        using var rig = new Rig();
        rig.Boot(rig.First);
        var (code, output) = Run(rig, "--config", "/dev/null", "confirm");
        Assert.True(code == 0, output);
        Assert.Contains("no health checks in /etc/apkgen/health.d", output);
        Assert.Equal(BootState.Good, rig.Info(rig.First).State);
        (code, output) = Run(rig, "status");
        Assert.True(code == 0, output);
        Assert.Contains($"booted:    {rig.First} from current slot 0: good (reached the late check (no health checks configured))", output);
        Assert.Contains("reached the late check (no health checks configured): marked good", output);
    }

    [Fact]
    public void An_unknown_generation_is_an_error_with_a_remedy_and_exit_code_65()
    {
        using var rig = new Rig();
        rig.Boot(rig.First);
        var (code, output) = Run(rig, "mark-bad", "20990101000000abcdefgh", "--reason", "test");
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("apkgen-bootcheck: error: there is no generation 20990101000000abcdefgh", output);
        Assert.Contains("apkgen-bootcheck: see 'apkgen list'", output);
    }
}
