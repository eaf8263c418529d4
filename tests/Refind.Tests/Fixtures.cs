using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Refind;

namespace Apkgen.Refind.Tests;

/// <summary>Layouts and /boot listings for the pure tests.</summary>
static class Fixtures
{
    public const string RootUuid = "b9ff5e7b-e128-4e64-861a-2fdd794a9828";
    public const string SwapUuid = "f0239163-9d46-47c1-67a4-3ee1d63d0676";

    public static readonly RefindTarget Target = new("ROOT", "UUID=" + RootUuid, "UUID=" + SwapUuid);

    public static readonly RefindSection Settings = new();

    /// <summary>A generation with metadata.</summary>
    public static Generation Gen(string id, BootState state, string command, params KernelInfo[] kernels) =>
        new(id, new GenerationInfo { Id = id, Created = GenerationId.CreatedAt(id), Command = command, State = state, Kernels = kernels },
            HasMetadata: true, HasRoot: true, ReadOnly: true);

    /// <summary>A generation made by hand from the guide: no generation.ini.</summary>
    public static Generation GuideGen(string id) => new(id, GenerationInfo.Implicit(id), false, true, true);

    public static GenerationBoot Boot(IEnumerable<KernelInfo> kernels, params string[] files) =>
        new(kernels.ToList(), files.ToHashSet());

    public static GenerationBoot LtsBoot(string version = "6.12.1-r0", params string[] extra) =>
        Boot([new("lts", version)], ["vmlinuz-lts", "initramfs-lts", "config-lts", "System.map-lts", .. extra]);

    public static LayoutState State(IReadOnlyList<Generation> generations, IReadOnlyList<string?> slots, IReadOnlyList<string?>? pending = null) =>
        new(new TopLevel("/nonexistent-top"), generations, new LinksGeneration("20261125180000linksAAA", slots),
            pending is null ? null : new LinksGeneration("20261125190000linksBBB", pending), ["20261125180000linksAAA"], false);

    /// <summary>Generations G0 (newest) .. G5, one a day, each booting lts.</summary>
    public static readonly string[] Ids =
    [
        "20261125182000aaaaaaaa", "20261124090000bbbbbbbb", "20261123090000cccccccc",
        "20261122090000dddddddd", "20261121090000eeeeeeee", "20261120090000ffffffff",
    ];
}
