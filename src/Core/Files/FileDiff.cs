namespace Apkgen.Core.Files;

/// <summary>The paths that differ between two generations, sorted by path, and how they were found.</summary>
public sealed record FileDiff(IReadOnlyList<FileChange> Changes, FileDiffMethod Method, string? WalkReason)
{
    /// <summary>The changes of one kind, in path order.</summary>
    public IEnumerable<string> Of(FileChangeKind kind) => Changes.Where(c => c.Kind == kind).Select(c => c.Path);

    /// <summary>"btrfs" when the tree search found the candidates, "walk" otherwise (the JSON's <c>method</c>).</summary>
    public string MethodName => Method == FileDiffMethod.Walk ? "walk" : "btrfs";
}
