namespace Apkgen.Core.Layout;

/// <summary>The file names of <see cref="LayoutLink"/> in the top level (and in <c>next/</c>).</summary>
public static class LayoutLinkNames
{
    /// <summary><c>current</c> or <c>pending</c>.</summary>
    public static string FileName(this LayoutLink link) => link == LayoutLink.Pending ? "pending" : "current";
}
