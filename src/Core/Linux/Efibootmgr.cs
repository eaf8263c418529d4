using System.Globalization;
using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary>
/// <see cref="IEfiBoot"/> through efibootmgr(8). The trial entry is created with <c>-C</c>
/// (not <c>-c</c>) so it never enters BootOrder, and its load options are passed as a file
/// with <c>-@</c>, which efibootmgr appends unmodified.
/// </summary>
public sealed class Efibootmgr(IProcessRunner processes, string efivarsDirPath = "/sys/firmware/efi/efivars", string tempDirPath = "/run/apkgen") : IEfiBoot
{
    /// <inheritdoc />
    public bool Available
    {
        get
        {
            try { return Directory.Exists(efivarsDirPath) && Directory.EnumerateFileSystemEntries(efivarsDirPath).Any(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }
    }

    /// <inheritdoc />
    public string EnsureEntry(EfiBootEntry entry)
    {
        var all = ParseEntries(Run(["-v"]));
        var existing = all.Where(e => e.Label == entry.Label).ToList();
        // The loader is visible in -v output in every efibootmgr version; the load options'
        // rendering is not, so an entry made by apkgen with the same loader is taken as is.
        var keep = existing.FirstOrDefault(e => e.Line.Contains(entry.Loader, StringComparison.OrdinalIgnoreCase));
        foreach (var stale in existing.Where(e => e != keep))
            Run(["-b", stale.Number, "-B"]);
        if (keep is not null) return keep.Number;

        Directory.CreateDirectory(tempDirPath);
        var optionsPath = Path.Combine(tempDirPath, "trial-load-options.bin");
        File.WriteAllBytes(optionsPath, entry.LoadOptions);
        try
        {
            var output = Run(["-C", "-d", entry.Disk, "-p", entry.Partition.ToString(CultureInfo.InvariantCulture),
                "-L", entry.Label, "-l", entry.Loader, "-@", optionsPath]);
            // The new entry is the one with the label that was not there before.
            bool IsNew(Entry e) => e.Label == entry.Label && all.All(old => old.Number != e.Number);
            var made = ParseEntries(output).FirstOrDefault(IsNew)
                ?? ParseEntries(Run(["-v"])).FirstOrDefault(IsNew)
                ?? throw new ApkgenException($"efibootmgr created no entry '{entry.Label}'",
                    "check 'efibootmgr -v' and the ESP settings in [bootcheck]", ExitCodes.Failure);
            return made.Number;
        }
        finally
        {
            File.Delete(optionsPath);
        }
    }

    /// <inheritdoc />
    public void SetBootNext(string bootNumber) => Run(["-n", bootNumber]);

    string Run(IReadOnlyList<string> arguments)
    {
        var r = processes.RunCaptured(new ProcessSpec("efibootmgr", arguments));
        if (r.ExitCode != 0)
            throw new ApkgenException($"efibootmgr {string.Join(' ', arguments)} failed with {r.ExitCode}: {r.StandardError.Trim()}",
                "check that efivarfs is mounted read-write and the [bootcheck] efi_* settings", ExitCodes.Failure);
        return r.StandardOutput;
    }

    /// <summary>One <c>BootXXXX</c> line of efibootmgr's output.</summary>
    public sealed record Entry(string Number, string Label, string Line);

    /// <summary>
    /// Parses efibootmgr's listing: <c>Boot0003* label&lt;TAB&gt;device path...</c> (the
    /// star marks an active entry; without <c>-v</c> older versions print no tab).
    /// </summary>
    public static IReadOnlyList<Entry> ParseEntries(string output)
    {
        var result = new List<Entry>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 10 || !line.StartsWith("Boot", StringComparison.Ordinal) || !IsHex(line.AsSpan(4, 4))) continue;
            if (line[8] is not ('*' or ' ')) continue;
            var rest = line[9..].TrimStart(' ');
            var tab = rest.IndexOf('\t');
            var label = (tab < 0 ? rest : rest[..tab]).TrimEnd();
            result.Add(new Entry(line.Substring(4, 4), label, line));
        }
        return result;
    }

    static bool IsHex(ReadOnlySpan<char> s) => s.IndexOfAnyExcept("0123456789ABCDEFabcdef") < 0;
}
