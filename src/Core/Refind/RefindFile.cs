namespace Apkgen.Core.Refind;

/// <summary>One file apkgen-refind manages and the text it should hold.</summary>
/// <param name="Kind">Which file it is.</param>
/// <param name="FilePath">Where it goes on the ESP.</param>
/// <param name="Text">Its content (Latin-1: one char per byte).</param>
public sealed record RefindFile(RefindFileKind Kind, string FilePath, string Text)
{
    /// <summary>The bytes to write.</summary>
    public byte[] Bytes => RefindInclude.Bytes.GetBytes(Text);

    /// <summary>True when the file on disk holds exactly these bytes.</summary>
    public bool IsCurrent => File.Exists(FilePath) && File.ReadAllBytes(FilePath).AsSpan().SequenceEqual(Bytes);
}
