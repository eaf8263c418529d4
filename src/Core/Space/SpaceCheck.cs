namespace Apkgen.Core.Space;

/// <summary>
/// The decision before a change starts (issue 17, part 4): is there at least
/// <c>[change] min_free</c> free? Pure: the edge measures, this judges and words the refusal.
/// </summary>
public sealed record SpaceCheck(SpaceUsage Usage, FreeSpaceMinimum Setting)
{
    /// <summary>The minimum in bytes on this filesystem.</summary>
    public long Minimum => Setting.For(Usage.Size);

    /// <summary>True when the change may start: the check is off, or enough is free.</summary>
    public bool Passes => Setting.IsOff || Usage.Free >= Minimum;

    /// <summary>The refusal's first line: how much is free, of what, and the minimum.</summary>
    public string Refusal()
    {
        var parts = Usage.MetadataExhausted
            ? $"metadata is full ({Sizes.Format(Usage.MetadataFree)} free beside the global reserve, {Sizes.Format(Usage.Unallocated)} unallocated)"
            : $"{Sizes.Format(Usage.DataFree)} in data chunks, {Sizes.Format(Usage.UnallocatedForData)} unallocated";
        var setting = Setting.IsAuto ? $"auto, {Sizes.Format(Minimum)} here" : Setting.Percent > 0 ? $"{Setting}, {Sizes.Format(Minimum)} here" : Sizes.Format(Minimum);
        return $"only {Sizes.Format(Usage.Free)} is free on the btrfs ({parts}), less than [change] min_free ({setting}): the change was not started";
    }

    /// <summary>The remedy line, with what gc would free (an estimate) when known.</summary>
    public static string Remedy(long? gcFrees, int gcGenerations, GenerationSizes? sizes) =>
        (gcGenerations == 0 || gcFrees is null
            ? "'apkgen gc' has no generation to delete; "
            : $"'apkgen gc' would free about {Sizes.Format(gcFrees.Value)} ({gcGenerations} generation(s); an estimate: {sizes!.SourceNote}); ")
        + "or free space in the commons, or lower [change] min_free in /etc/apkgen.conf (0 turns the check off)";
}
