using Apkgen.Core.Edge;
using Apkgen.Core.Layout;
using Apkgen.Core.Linux;
using Apkgen.Core.Model;

namespace Apkgen.Core.Transactions;

/// <summary>What <c>apkgen init</c> starts from.</summary>
/// <param name="AdoptSubvolume">An existing root subvolume, relative to the top level (e.g. <c>@</c>), to snapshot as the first generation; null to bootstrap.</param>
/// <param name="ApkArguments">Bootstrap: arguments after <c>apk --root ROOT --initdb</c> (default <c>add alpine-base</c>).</param>
/// <param name="SwapDevice">A swap device whose UUID goes into the fstab template.</param>
/// <param name="Command">The command line, recorded in the first generation.</param>
public sealed record InitOptions(string? AdoptSubvolume, IReadOnlyList<string> ApkArguments, string? SwapDevice, string Command);

/// <summary>
/// <c>apkgen init</c>: the guide's "File system structure" and "Base system install" steps
/// on a btrfs top level that has no layout yet: next/, commons/ with its subvolumes,
/// snapshots/, links/, the first generation, the fstab template, and <c>current</c>.
/// </summary>
public static class Initializer
{
    /// <summary>Creates the layout; refuses (changing nothing) when one exists.</summary>
    public static LayoutState Run(SystemContext ctx, Session session, InitOptions options)
    {
        var top = session.Top;
        session.Lock(0);
        if (session.Store.Exists || Directory.Exists(top.SnapshotsDirPath) || Directory.Exists(top.LinksDirPath))
            throw new ApkgenException($"{session.Device} already holds a layout (current, snapshots/ or links/ exist)",
                "use 'apkgen status' to see it; init never overwrites a layout", ExitCodes.DataError);
        string? adoptPath = null;
        if (options.AdoptSubvolume is { } adopt)
        {
            if (WhyNotAdoptable(adopt) is { } why)
                throw new ApkgenException($"--adopt '{adopt}': {why}",
                    "name the existing root subvolume by its name under the top level, e.g. --adopt @", ExitCodes.Usage);
            adoptPath = Path.Combine(top.TopDirPath, adopt);
            if (!ctx.Btrfs.IsSubvolume(adoptPath))
                throw new ApkgenException($"{adopt} is not a subvolume of the top level", "name the existing root subvolume relative to the top level, e.g. --adopt @", ExitCodes.DataError);
        }
        string? swapUuid = null;
        if (options.SwapDevice is { } swap)
        {
            var r = ctx.Processes.RunCaptured(new ProcessSpec("blkid", ["-o", "value", "-s", "UUID", swap]));
            swapUuid = r.ExitCode == 0 && r.StandardOutput.Trim().Length > 0 ? r.StandardOutput.Trim()
                : throw new ApkgenException($"blkid found no UUID on {swap}", "name a formatted swap device (mkswap) or leave --swap out", ExitCodes.DataError);
        }

        var id = GenerationId.New(ctx.Clock.UtcNow, ctx.Random);
        var created = new List<string>();
        try
        {
            foreach (var d in new[] { top.NextDirPath, top.CommonsDirPath, top.SnapshotsDirPath, top.LinksDirPath })
            {
                Directory.CreateDirectory(d);
                created.Add(d);
            }
            foreach (var common in ctx.Config.Layout.Commons)
            {
                var path = Path.Combine(top.CommonsDirPath, common);
                if (!Directory.Exists(path)) ctx.Btrfs.CreateSubvolume(path);
            }
            var fsUuid = ctx.Btrfs.FilesystemUuid(top.TopDirPath).ToString();
            var template = Fstab.Create(fsUuid, ctx.Config.Layout.Commons, swapUuid);
            AtomicFile.Write(top.FstabTemplatePath, template);

            Directory.CreateDirectory(top.SnapshotDirPath(id));
            var root = top.RootSubvolumePath(id);
            if (adoptPath is not null)
            {
                ctx.Say($"adopting {options.AdoptSubvolume} as the first generation {id}");
                ctx.Btrfs.Snapshot(adoptPath, root, readOnly: false);
            }
            else
            {
                ctx.Say($"bootstrapping the first generation {id} with {ctx.Config.Apk.Path} --initdb {string.Join(' ', options.ApkArguments)}");
                ctx.Btrfs.CreateSubvolume(root);
                var code = ctx.Processes.RunInteractive(new ProcessSpec(ctx.Config.Apk.Path, ["--root", root, "--initdb", .. options.ApkArguments]));
                if (code != 0)
                    throw new ApkgenException($"apk exited with {code} while bootstrapping the first generation",
                        "check the apk arguments after -- (repository, --allow-untrusted), or adopt an existing root with --adopt", code);
            }
            var etc = Path.Combine(root, "etc");
            Directory.CreateDirectory(etc);
            File.WriteAllText(Path.Combine(etc, "fstab"), Fstab.Render(template, id));
            foreach (var common in ctx.Config.Layout.Commons)
                Directory.CreateDirectory(Path.Combine(root, common.Replace('@', '/').TrimStart('/')));
            Directory.CreateDirectory(Path.Combine(root, "tmp"));
            // The link to the wrapper goes into the first generation, not into the package.
            ApkEntryPoint.Install(ctx, root);

            var installed = SnapshotContents.ReadInstalled(root);
            session.Store.WriteInfo(new GenerationInfo
            {
                Id = id,
                Created = ctx.Clock.UtcNow,
                Command = options.Command,
                Packages = PackageChanges.Between(new Dictionary<string, string>(), installed),
                WorldAdded = SnapshotContents.ReadWorld(root).ToList(),
                Kernels = SnapshotContents.DiscoverKernels(root, installed),
                State = BootState.Pending,
                AttemptsLeft = ctx.Config.Bootcheck.Attempts,
                StateChanged = ctx.Clock.UtcNow,
            });
            ctx.Btrfs.SetReadOnly(root, true);
            session.Store.Publish(LayoutLink.Current, LinksPlanner.Normalize([id], ctx.Config.Layout.Links), ctx.NewId());
            return session.Store.Read();
        }
        catch
        {
            // Leave the device as it was: remove what this run made (subvolumes first).
            Undo(ctx, top, created);
            throw;
        }
    }

    /// <summary>
    /// The names of the layout itself: adopting one would snapshot the layout (or the whole
    /// top level, for "" and ".") into its own first generation.
    /// </summary>
    static readonly string[] LayoutNames = ["snapshots", "links", "commons", "next", "current", "pending", "fstab", ".apkgen.lock"];

    /// <summary>Why a --adopt value is not a root subvolume's name under the top level, or null.</summary>
    public static string? WhyNotAdoptable(string name) =>
        name.Length == 0 ? "is empty (that would adopt the top level itself)"
        : name.StartsWith('/') ? "is an absolute path; give the subvolume's name under the top level"
        : name is "." or ".." ? "names the top level or what is above it, not a subvolume under it"
        : name.Contains('/') || name.Contains('\0') ? "is not a single name under the top level (nested paths are not adopted)"
        : LayoutNames.Contains(name, StringComparer.Ordinal) ? "is part of apkgen's layout, not a root filesystem"
        : null;

    static void Undo(SystemContext ctx, TopLevel top, List<string> created)
    {
        try
        {
            foreach (var dir in new[] { top.SnapshotsDirPath, top.CommonsDirPath })
                if (Directory.Exists(dir))
                    foreach (var sub in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).OrderByDescending(p => p.Length))
                        if (ctx.Btrfs.IsSubvolume(sub)) { ctx.Btrfs.SetReadOnly(sub, false); ctx.Btrfs.DeleteSubvolume(sub); }
            foreach (var d in created.AsEnumerable().Reverse())
                if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
            if (File.Exists(top.FstabTemplatePath)) File.Delete(top.FstabTemplatePath);
            ctx.Btrfs.SyncFs(top.TopDirPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Say("could not undo everything init made: " + e.Message);
        }
    }
}
