namespace Apkgen.Hooks.Commands;

/// <summary>
/// <c>/run/apkgen/switched</c>: written at every switch of current, on the /run tmpfs so a
/// reboot removes it. While it is there, slot 0 of current may not be the running root, and
/// apk's read-only applets through the wrapper must say which one they read (ApkHandler,
/// NextBootView). Its first line names the configuration's <c>[layout] device</c> as written
/// ("" when unset): a wrapper with another configuration (another layout: a sandbox, a test)
/// is not concerned. src/Hooks/native/apk-front.c reads it the same way, with one open that
/// fails while no change was made since boot.
/// </summary>
static class SwitchMarker
{
    public const string FilePath = "/run/apkgen/switched";
    const string DevicePrefix = "config-device=";

    /// <summary>Records a switch; a failure only warns, the switch has happened.</summary>
    public static void Write(string configuredDevice, string slot0, Action<string> say)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            var tmp = FilePath + ".tmp";
            File.WriteAllText(tmp, $"{DevicePrefix}{configuredDevice}\nslot0={slot0}\n");
            File.Move(tmp, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            say($"warning: {FilePath} was not written ({e.Message}): until the reboot, apk info may show the running root, not slot 0");
        }
    }

    /// <summary>True if a switch since boot was made by a configuration naming this device (or the marker cannot be read: look).</summary>
    public static bool NamesConfig(string configuredDevice)
    {
        string first;
        try
        {
            using var reader = new StreamReader(FilePath);
            first = reader.ReadLine() ?? "";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
        return !first.StartsWith(DevicePrefix, StringComparison.Ordinal) || first[DevicePrefix.Length..] == configuredDevice;
    }
}
