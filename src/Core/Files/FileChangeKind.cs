namespace Apkgen.Core.Files;

/// <summary>How a path differs between two generations.</summary>
public enum FileChangeKind
{
    /// <summary>Only in the newer (second) generation.</summary>
    Added,
    /// <summary>Only in the older (first) generation.</summary>
    Removed,
    /// <summary>In both, with another type, permissions, owner, group, content, link target or device number.</summary>
    Changed,
}
