namespace Apkgen.Hooks.Commands;

/// <summary>
/// <c>/run/apkgen/switched</c>: written at every switch of current (a change, a rollback,
/// init), on the /run tmpfs so a reboot removes it. While it is there, slot 0 of current may
/// not be the running root, and apk's read-only applets through the wrapper must say which one
/// they read (ApkHandler, NextBootView). One file per configured <c>[layout] device</c>
/// (<c>switched@%dev%loop3</c> for /dev/loop3; plain <c>switched</c> when unset, as on a
/// booted system): a wrapper whose configuration names another layout (a sandbox, a test) is
/// not concerned. src/Hooks/native/apk-front.c makes the same name and tries one open, which
/// fails while no switch was made since boot.
/// </summary>
static class SwitchMarker
{
    const string BasePath = "/run/apkgen/switched";

    /// <summary>The marker's path for a configuration's [layout] device as written ("" when unset).</summary>
    public static string PathFor(string configuredDevice) =>
        configuredDevice.Length == 0 ? BasePath : BasePath + "@" + configuredDevice.Replace('/', '%');

    /// <summary>Records a switch; a failure only warns, the switch has happened.</summary>
    public static void Write(string configuredDevice, string slot0, Action<string> say)
    {
        var path = PathFor(configuredDevice);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // /run is a tmpfs: whole by rename, no fsync.
            Core.Layout.AtomicFile.Write(path, $"slot0={slot0}\n", durable: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            say($"warning: {path} was not written ({e.Message}): until the reboot, apk info may show the running root, not slot 0");
        }
    }

    /// <summary>True if a switch since boot was made by a configuration naming this device.</summary>
    public static bool NamesConfig(string configuredDevice) => File.Exists(PathFor(configuredDevice));
}
