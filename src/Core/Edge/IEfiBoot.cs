namespace Apkgen.Core.Edge;

/// <summary>The UEFI boot variables apkgen touches (trial mode). The real adapter is <see cref="Linux.Efibootmgr"/>.</summary>
public interface IEfiBoot
{
    /// <summary>True when the firmware's variables can be read and written (efivarfs is mounted).</summary>
    bool Available { get; }

    /// <summary>
    /// Makes sure a Boot entry with this label, loader and load options exists, outside
    /// BootOrder; returns its number (four hex digits).
    /// </summary>
    string EnsureEntry(EfiBootEntry entry);

    /// <summary>Sets BootNext: the firmware boots that entry once, deleting BootNext first.</summary>
    void SetBootNext(string bootNumber);
}
