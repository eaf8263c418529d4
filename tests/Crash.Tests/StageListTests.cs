using System.Reflection;
using Apkgen.Core;

namespace Apkgen.Crash.Tests;

public class StageListTests
{
    [Fact]
    public void Every_stage_the_library_names_is_in_a_crash_tested_list()
    {
        var named = typeof(FaultStages).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && !f.Name.EndsWith("Prefix", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.NotEmpty(named);
        Assert.Empty(named.Except(Stages.Exec).Except(Stages.Gc));
        // The numbered stages: one per slot of the default 4, one per deleted generation of the gc base.
        Assert.Equal(4, Stages.Exec.Count(s => s.StartsWith(FaultStages.LinksPrefix, StringComparison.Ordinal)));
        Assert.Equal(4, Stages.Gc.Count(s => s.StartsWith(FaultStages.GcPrefix, StringComparison.Ordinal) && s != FaultStages.GcSync));
    }
}
