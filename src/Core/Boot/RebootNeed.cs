using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>
/// A reboot is needed: the generation the next boot starts is not the running one. What
/// differs between them is known when both roots could be read (<see cref="Packages"/> not
/// null); the running root that is no generation of the layout has nothing to compare.
/// </summary>
/// <param name="Booted">The running generation, or null when the running root is none of this layout's.</param>
/// <param name="Next">What the next boot starts: slot 0 of <c>pending</c> (a trial) or of <c>current</c>.</param>
/// <param name="Trial">True when <paramref name="Next"/> is the trial generation, booted once through BootNext.</param>
/// <param name="Older">True when <paramref name="Next"/> is older than <paramref name="Booted"/> (a rollback).</param>
/// <param name="Packages">The package changes from the running generation to the next, or null when unknown.</param>
/// <param name="BootedKernel">The kernel of the running generation (the flavour of <paramref name="RunningKernel"/>), or null.</param>
/// <param name="NextKernel">The kernel the next boot loads (rEFInd's choice: [refind] flavor, else lts, virt, ...), or null.</param>
/// <param name="RunningKernel">The running kernel's release (<c>uname -r</c>), or null when unknown.</param>
/// <param name="Services">The OpenRC services (<c>/etc/init.d</c> names) of the packages that changed, sorted.</param>
public sealed record RebootNeed(
    string? Booted,
    string Next,
    bool Trial,
    bool Older,
    PackageChanges? Packages,
    KernelInfo? BootedKernel,
    KernelInfo? NextKernel,
    string? RunningKernel,
    IReadOnlyList<string> Services)
{
    /// <summary>True when the next boot loads another kernel than the running generation's (known contents only).</summary>
    public bool KernelChanges => Packages is not null && BootedKernel != NextKernel;

    /// <summary>
    /// The names of the changed packages, sorted, one a line in <c>reboot-required.pkgs</c>
    /// (as Debian's <c>/run/reboot-required.pkgs</c> names the packages that asked for it).
    /// </summary>
    public IReadOnlyList<string> PackageNames =>
        Packages is not { } p ? []
        : p.Added.Select(x => x.Name).Concat(p.Removed.Select(x => x.Name))
            .Concat(p.Upgraded.Select(x => x.Name)).Concat(p.Downgraded.Select(x => x.Name))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The one line of <c>/run/apkgen/reboot-required</c> and of the login notice.</summary>
    public string Line()
    {
        var next = Printable.Escape(Next);
        var start = Trial ? $"the next boot tries {next} once (trial)" : $"the next boot starts {next}" + (Older ? " (older: a rollback)" : "");
        return Booted is null
            ? $"reboot required: the running root is not a generation of this layout; {start}"
            : $"reboot required: running {Printable.Escape(Booted)}, {start}";
    }

    /// <summary>A kernel as the status shows it: <c>lts 6.6.52-r0</c>, <c>none</c>.</summary>
    public static string Describe(KernelInfo? kernel) =>
        kernel is not { } k ? "none" : k.Flavor.Length == 0 ? k.Version : $"{k.Flavor} {k.Version}";
}
