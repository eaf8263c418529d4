using Apkgen.Core;

namespace Apkgen.Hooks.Tests;

/// <summary>What the user sees when apkgen refuses: "apkgen: error: ...", the remedy, the documented exit code, nothing on standard output.</summary>
public class ErrorTests
{
    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("rollback")]
    [InlineData("gc")]
    public void A_device_without_a_layout_is_an_error_with_the_remedy_and_exit_66(string verb)
    {
        using var rig = new CliRig(init: false);

        var r = rig.Run(verb);

        Assert.Equal(ExitCodes.NoLayout, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal($"apkgen: error: no apkgen layout on this filesystem ({rig.Top}/current is missing)\n"
            + "apkgen: create one with 'apkgen init', or set [layout] device to the right filesystem\n", r.Err);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    public void Init_adopt_with_a_name_that_is_not_a_single_name_under_the_top_level_exits_64_and_creates_nothing(string name)
    {
        using var rig = new CliRig(init: false);

        var r = rig.Run("init", "--adopt", name);

        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal($"apkgen: error: --adopt '{name}': is not a single name under the top level (nested paths are not adopted)\n"
            + "apkgen: name the existing root subvolume by its name under the top level, e.g. --adopt @\n", r.Err);
        // Only the global lock, taken before the name was judged: no layout, no subvolume.
        Assert.Equal([".apkgen.lock"], Directory.EnumerateFileSystemEntries(rig.Top).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unknown_verb_exits_64_and_points_at_the_usage()
    {
        using var rig = new CliRig(init: false);

        var r = rig.Run("rollbak");

        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Equal("", r.Out);
        Assert.StartsWith("apkgen: error: ", r.Err);
        Assert.EndsWith("apkgen: see 'apkgen --help' for the usage\n", r.Err);
    }
}
