namespace Apkgen.Core.Layout;

/// <summary>
/// The two links of the top level a switch replaces: <c>current</c> (what a normal boot
/// starts) and <c>pending</c> (trial mode's generation on trial). Each is a symlink named
/// as <see cref="LayoutLinkNames.FileName"/> says, to <c>links/&lt;lid&gt;</c>.
/// </summary>
public enum LayoutLink
{
    /// <summary><c>current</c>.</summary>
    Current,
    /// <summary><c>pending</c>.</summary>
    Pending,
}
