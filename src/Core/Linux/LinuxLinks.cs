using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary><see cref="ILinks"/> with symlink(2) and rename(2).</summary>
public sealed class LinuxLinks : ILinks
{
    /// <inheritdoc />
    public void CreateSymlink(string target, string linkPath)
    {
        if (Native.symlink(target, linkPath) != 0) throw Native.Error("symlink", linkPath);
    }

    /// <inheritdoc />
    public void Rename(string oldPath, string newPath)
    {
        if (Native.rename(oldPath, newPath) != 0) throw Native.Error("rename", oldPath);
    }
}
