using System.Text;

namespace Apkgen.Core.Edge;

/// <summary>
/// The Boot entry that starts rEFInd with its trial configuration. Load options are raw
/// bytes: rEFInd only sees <c>-c FILE</c> after a leading space, and reads the name up to
/// a UCS-2 NUL (BOOT-TESTING, "BootNext and rEFInd's -c").
/// </summary>
/// <param name="Label">The entry's description, which is also how apkgen finds it again.</param>
/// <param name="Disk">The disk holding the ESP (efibootmgr <c>-d</c>).</param>
/// <param name="Partition">The ESP's partition number (efibootmgr <c>-p</c>).</param>
/// <param name="Loader">rEFInd's path on the ESP (efibootmgr <c>-l</c>).</param>
/// <param name="LoadOptions">The optional data, byte for byte.</param>
public sealed record EfiBootEntry(string Label, string Disk, int Partition, string Loader, byte[] LoadOptions)
{
    /// <summary>The label of apkgen's trial entry.</summary>
    public const string TrialLabel = "apkgen trial";

    /// <summary>
    /// <c>" -c NAME"</c> as UTF-16LE followed by a UTF-16 NUL (two zero bytes).
    /// efibootmgr's <c>-u</c> would add no terminator, and rEFInd would then read past the
    /// name and silently fall back to refind.conf.
    /// </summary>
    public static byte[] TrialLoadOptions(string configName)
    {
        var text = Encoding.Unicode.GetBytes(" -c " + configName);
        var bytes = new byte[text.Length + 2];
        text.CopyTo(bytes, 0);
        return bytes;
    }
}
