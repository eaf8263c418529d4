using Apkgen.Core.Linux;

namespace Apkgen.Core.Configuration;

/// <summary>
/// Whether root may act on a file someone else could have written: apkgen.conf's
/// <c>[apk] path</c> and the health checks are executed as root, so a file (or the directory
/// holding a health check) that a group or every user may write, or that root does not own,
/// would hand root to whoever can write it. The effective user counts as an owner too: a
/// non-root apkgen gains nothing from its own files.
/// </summary>
public static class TrustedFile
{
    /// <summary>Why <paramref name="path"/> (a regular file or directory) is not to be trusted, or null when it is (or does not exist, or is another kind of file).</summary>
    public static string? Distrust(string path)
    {
        if (FileStatus.Of(path, followSymlink: true) is not { } st) return null;
        var mode = st.Mode;
        var uid = st.Uid;
        // Only what can hold a program or a path someone wrote: a regular file, a directory
        // (/dev/null, mode 0666, is a common empty configuration).
        var type = mode & 0xF000;
        if (type is not (0x8000 or 0x4000)) return null;
        if (uid != 0 && uid != Privileges.EffectiveUserId)
            return $"it is owned by uid {uid}, not root";
        if ((mode & 0x12) != 0) // S_IWGRP | S_IWOTH
            return $"it is writable by {((mode & 0x2) != 0 ? "every user" : "its group")} (mode {Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0')})";
        return null;
    }
}
