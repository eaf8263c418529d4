using Apkgen.Generations.Layout;
using Apkgen.Generations.Model;

namespace Apkgen.Refind;

/// <summary>
/// Reads what apkgen-refind needs from a mounted top level: <c>current</c>, <c>pending</c>
/// and the generations their slots name. A stand-in until the library's LayoutReader lands;
/// then <see cref="Read"/> should call it instead.
/// </summary>
static class TopLevelReader
{
    public static LayoutState Read(string topDirPath)
    {
        var top = new TopLevel(topDirPath);
        var current = ReadLinks(top, top.CurrentLinkPath)
            ?? throw new Generations.ApkgenException($"{top.CurrentLinkPath} is missing or names no links directory",
                "pass the top level (subvolid=5) of an apkgen layout with --top", Generations.ExitCodes.NoLayout);
        var pending = ReadLinks(top, top.PendingLinkPath);
        var ids = current.Slots.Concat(pending?.Slots ?? []).OfType<string>().Distinct();
        var generations = new List<Generation>();
        foreach (var id in ids)
        {
            var infoPath = top.InfoFilePath(id);
            var hasInfo = File.Exists(infoPath);
            var info = hasInfo ? GenerationInfo.Parse(id, File.ReadAllText(infoPath)) : GenerationInfo.Implicit(id);
            var hasRoot = Directory.Exists(top.RootSubvolumePath(id));
            if (Directory.Exists(top.SnapshotDirPath(id)))
                generations.Add(new Generation(id, info, hasInfo, hasRoot, ReadOnly: true));
        }
        var linksIds = Directory.Exists(top.LinksDirPath)
            ? Directory.GetDirectories(top.LinksDirPath).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return new LayoutState(top, generations, current, pending, linksIds, File.Exists(top.NextCurrentLinkPath) || Directory.Exists(top.NextCurrentLinkPath));
    }

    static LinksGeneration? ReadLinks(TopLevel top, string linkPath)
    {
        var target = new FileInfo(linkPath).LinkTarget;
        if (target is null || TopLevel.IdFromLinksTarget(target) is not { } lid) return null;
        var dir = top.LinksGenerationDirPath(lid);
        if (!Directory.Exists(dir)) return null;
        var slots = new List<string?>();
        for (var i = 0; ; i++)
        {
            var slot = new FileInfo(Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (slot.LinkTarget is not { } t) break;
            slots.Add(TopLevel.IdFromSlotTarget(t));
        }
        return new LinksGeneration(lid, slots);
    }
}
