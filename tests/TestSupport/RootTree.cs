namespace Apkgen.TestSupport;

/// <summary>A tiny root filesystem from the host's busybox-static, with an apk database in apk's format.</summary>
public static class RootTree
{
    static readonly string[] Applets = ["sh", "true", "false", "touch", "rm", "cat", "ls", "mkdir", "echo", "sleep", "cp", "mv", "sync", "dd", "test", "env", "chmod", "ln", "grep", "sed"];

    /// <summary>Fills <paramref name="root"/> with busybox, the usual directories, and an installed db.</summary>
    public static void Populate(string root, IDictionary<string, string>? packages = null)
    {
        foreach (var d in new[] { "bin", "sbin", "etc/apk", "lib/apk/db", "boot", "proc", "sys", "dev", "run", "tmp", "var/log", "var/cache", "var/tmp", "home", "root" })
            Directory.CreateDirectory(Path.Combine(root, d));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"), overwrite: true);
        foreach (var a in Applets)
            File.CreateSymbolicLink(Path.Combine(root, "bin", a), "busybox");
        packages ??= new Dictionary<string, string> { ["busybox"] = "1.36.1-r0", ["alpine-baselayout"] = "3.6.5-r0", ["musl"] = "1.2.5-r0" };
        File.WriteAllText(Path.Combine(root, "lib/apk/db/installed"),
            string.Concat(packages.Select(kv => $"C:Q1placeholder=\nP:{kv.Key}\nV:{kv.Value}\nA:x86_64\nT:{kv.Key} package\n\n")));
        File.WriteAllText(Path.Combine(root, "etc/apk/world"), string.Join('\n', packages.Keys.Order(StringComparer.Ordinal)) + "\n");
        File.WriteAllText(Path.Combine(root, "etc/hostname"), "apkgen-test\n");
        File.WriteAllText(Path.Combine(root, "etc/fstab"), "");
    }
}
