namespace Apkgen.Core.Model;

/// <summary>
/// The files each package owns, from apk's installed database: in a package's record an
/// <c>F:</c> line names a directory relative to the root and the <c>R:</c> lines after it
/// name the files in that directory (apk-tools' database format, written alike by apk 2.14
/// and 3). Used to tell which OpenRC services (<c>etc/init.d</c>) a change touches.
/// </summary>
public static class InstalledFiles
{
    /// <summary>Directory of the OpenRC service scripts, relative to a root.</summary>
    public const string InitScriptsDir = "etc/init.d";

    /// <summary>
    /// For every package of the database that owns files directly in
    /// <paramref name="directory"/> (relative, no trailing slash), the names of those files.
    /// </summary>
    public static Dictionary<string, SortedSet<string>> In(string installedText, string directory)
    {
        var result = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        string? name = null, dir = null;
        var files = new List<string>();
        foreach (var line in installedText.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty)
            {
                Flush();
                continue;
            }
            if (line.Length < 2 || line[1] != ':') continue;
            var value = line[2..];
            switch (line[0])
            {
                case 'P': name = value.ToString(); break;
                case 'F': dir = value.TrimEnd('/').ToString(); break;
                // A file name is one component: anything else is not apk's and is not a service.
                case 'R' when dir == directory && value.Length > 0 && value.IndexOf('/') < 0: files.Add(value.ToString()); break;
            }
        }
        Flush();
        return result;

        void Flush()
        {
            if (name is not null && files.Count > 0)
            {
                if (!result.TryGetValue(name, out var set)) result[name] = set = new(StringComparer.Ordinal);
                set.UnionWith(files);
            }
            name = dir = null;
            files.Clear();
        }
    }
}
