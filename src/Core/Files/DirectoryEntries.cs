namespace Apkgen.Core.Files;

/// <summary>How apkgen's own tree walks list a directory.</summary>
static class DirectoryEntries
{
    /// <summary>
    /// Every entry, hidden and system ones too (.NET skips those by default), and an
    /// unreadable directory is skipped rather than thrown: the <c>.apk-new</c> walk and the
    /// exclusive-size estimate must see a tree as it is.
    /// </summary>
    public static readonly EnumerationOptions Unfiltered = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
}
