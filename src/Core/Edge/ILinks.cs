namespace Apkgen.Core.Edge;

/// <summary>The two calls that make the layout's switch: a symlink, and the rename that puts it in place atomically.</summary>
public interface ILinks
{
    /// <summary>Makes the symlink <paramref name="linkPath"/> with the text <paramref name="target"/> (never followed).</summary>
    void CreateSymlink(string target, string linkPath);

    /// <summary>rename(2): replaces <paramref name="newPath"/> with <paramref name="oldPath"/> in one step.</summary>
    void Rename(string oldPath, string newPath);
}
