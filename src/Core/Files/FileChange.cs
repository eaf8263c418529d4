namespace Apkgen.Core.Files;

/// <summary>One path that differs; <see cref="Path"/> is relative to the generation's root (<c>etc/motd</c>).</summary>
public sealed record FileChange(FileChangeKind Kind, string Path)
{
    /// <summary>The one-letter code of the text output: A added, D removed (deleted), M changed (modified).</summary>
    public char Letter => Kind switch { FileChangeKind.Added => 'A', FileChangeKind.Removed => 'D', _ => 'M' };
}
