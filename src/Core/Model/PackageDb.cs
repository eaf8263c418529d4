namespace Apkgen.Core.Model;

/// <summary>
/// Parses apk's database files as apk-tools writes them (reading them is
/// <see cref="Linux.SnapshotContents"/>'s): <c>lib/apk/db/installed</c> is a
/// sequence of blank-line separated records of <c>X:value</c> lines (<c>P:</c> name,
/// <c>V:</c> version), and <c>etc/apk/world</c> is whitespace-separated dependency strings.
/// </summary>
public static class PackageDb
{
    /// <summary>Path of the installed database, relative to a root.</summary>
    public const string InstalledPath = "lib/apk/db/installed";
    /// <summary>Path of the world file, relative to a root.</summary>
    public const string WorldPath = "etc/apk/world";

    /// <summary>Name to version for every installed package.</summary>
    public static Dictionary<string, string> ParseInstalled(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null, version = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                Flush();
                continue;
            }
            if (line.Length >= 2 && line[1] == ':')
            {
                if (line[0] == 'P') name = line[2..].ToString();
                else if (line[0] == 'V') version = line[2..].ToString();
            }
        }
        Flush();
        return result;

        void Flush()
        {
            if (name is not null && version is not null)
                result[name] = version;
            name = version = null;
        }
    }

    /// <summary>The world's dependency strings, sorted.</summary>
    public static SortedSet<string> ParseWorld(string text) =>
        new(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
