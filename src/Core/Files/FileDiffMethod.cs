namespace Apkgen.Core.Files;

/// <summary>How the candidates of a file diff were found.</summary>
public enum FileDiffMethod
{
    /// <summary>The second generation is a snapshot of the first: btrfs's tree search gave the inodes it changed.</summary>
    ChildOfFirst,
    /// <summary>The first generation is a snapshot of the second: the same, read the other way round.</summary>
    ParentOfFirst,
    /// <summary>Both trees walked in full.</summary>
    Walk,
}
