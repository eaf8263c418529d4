using System.Text;

namespace Apkgen.Core.Refind;

/// <summary>
/// Renders rEFInd configuration text. Pure: no file or process is touched here.
/// The rules come from rEFInd's tokenizer (refind/config.c, <c>ReadTokenLine</c> and
/// <c>KeepReading</c>): outside double quotes a token ends at space, tab, <c>=</c>, <c>,</c>
/// or <c>#</c>, and <c>/</c> is turned into <c>\</c>; inside quotes nothing is converted,
/// so quoted paths must carry backslashes and <c>options</c> (which has <c>=</c> and
/// <c>,</c>) must be quoted. Lines are read byte by byte as if Latin-1 (UTF-8 is not
/// decoded), so labels are kept to printable ASCII.
/// </summary>
public static class RefindConfText
{
    /// <summary>The first line of every file apkgen-refind writes.</summary>
    public const string Header =
        "# Written by apkgen-refind(8); do not edit: apkgen rewrites it after every commit,\n" +
        "# rollback and demotion. Change [refind] in /etc/apkgen.conf instead.\n";

    /// <summary>
    /// The stanza file: one <c>menuentry</c> for slot 0 with a <c>submenuentry</c> per fallback.
    /// <c>icon</c> comes before <c>volume</c> because rEFInd loads the icon from the volume
    /// current when the line is read (AddStanzaEntries), i.e. its own ESP.
    /// </summary>
    public static string Render(RefindMenu menu)
    {
        if (menu.Entries.Count == 0) throw new ArgumentException("a menu needs at least slot 0", nameof(menu));
        var sb = new StringBuilder(Header);
        foreach (var note in menu.Skipped)
            sb.Append("# ").Append(SafeLabel(note)).Append('\n');
        AppendEntry(sb, menu.Volume, menu.Icon, menu.Entries[0], menu.Entries.Skip(1));
        return sb.ToString();
    }

    /// <summary>
    /// trial.conf. rEFInd takes it as its only configuration when started with <c>-c trial.conf</c>
    /// (main.c <c>SetConfigFilename</c>), so it carries the settings the trial needs: a timeout
    /// (a menu without one waits forever), <c>scanfor manual</c> (otherwise auto-detected loaders
    /// come first and <c>default_selection 1</c> would pick one of them), and the trial entry
    /// first; then <c>include</c> of the normal stanzas, which config.c honours only in the
    /// file named as the main configuration, one level deep, relative to rEFInd's directory.
    /// </summary>
    public static string RenderTrial(RefindTrialConf trial)
    {
        var sb = new StringBuilder(Header);
        sb.Append("# Trial boot (apkgen-bootcheck(8), mode trial): started once through BootNext with -c trial.conf.\n");
        sb.Append("timeout ").Append(trial.Timeout).Append('\n');
        sb.Append("scanfor manual\n");
        sb.Append("default_selection 1\n");
        if (trial.Trial is { } entry)
            AppendEntry(sb, trial.Volume, trial.Icon, entry, []);
        else
            sb.Append("# Nothing is pending: the default is the normal slot 0.\n");
        sb.Append("include ").Append(CheckBare(trial.IncludePath, "the include path")).Append('\n');
        return sb.ToString();
    }

    static void AppendEntry(StringBuilder sb, string volume, string? icon, RefindEntry main, IEnumerable<RefindEntry> fallbacks)
    {
        sb.Append("menuentry \"").Append(SafeLabel(main.Label)).Append("\" {\n");
        if (icon is not null) sb.Append("    icon ").Append(CheckBare(icon, "[refind] icon")).Append('\n');
        sb.Append("    volume \"").Append(CheckQuoted(volume, "[refind] volume")).Append("\"\n");
        AppendFiles(sb, "    ", main, clearMissingInitrd: false);
        foreach (var f in fallbacks)
        {
            // A submenuentry starts as a copy of its parent's lines parsed so far (config.c
            // AddSubmenu -> InitializeLoaderEntry(Entry)), so it states every file again and
            // clears an inherited initrd with a bare "initrd" line when it has none.
            sb.Append("    submenuentry \"").Append(SafeLabel(f.Label)).Append("\" {\n");
            AppendFiles(sb, "        ", f, clearMissingInitrd: true);
            sb.Append("    }\n");
        }
        sb.Append("}\n");
    }

    static void AppendFiles(StringBuilder sb, string indent, RefindEntry e, bool clearMissingInitrd)
    {
        sb.Append(indent).Append("loader ").Append(BootPath(e, e.Kernel)).Append('\n');
        if (e.Initrd is not null) sb.Append(indent).Append("initrd ").Append(BootPath(e, e.Initrd)).Append('\n');
        else if (clearMissingInitrd) sb.Append(indent).Append("initrd\n");
        sb.Append(indent).Append("options \"").Append(CheckQuoted(Options(e), "the kernel options")).Append("\"\n");
    }

    /// <summary>
    /// The kernel command line of an entry. Microcode goes first as <c>initrd=\...</c>: only
    /// one <c>initrd</c> line counts, and rEFInd appends <c>initrd=</c> for it after the
    /// options, so the kernel loads the microcode before the initramfs.
    /// </summary>
    public static string Options(RefindEntry e)
    {
        var parts = new List<string>();
        foreach (var m in e.Microcode)
            parts.Add("initrd=" + $"\\{e.Link}\\{e.Slot}\\@\\boot\\{CheckFileName(m)}");
        parts.Add("root=" + e.Root);
        parts.Add("rootfstype=btrfs");
        parts.Add($"rootflags=subvol={e.SubvolumePath}" + (e.RootFlags.Length > 0 ? "," + e.RootFlags : ""));
        if (e.Resume is not null) parts.Add("resume=" + e.Resume);
        if (e.ExtraOptions.Trim().Length > 0) parts.Add(e.ExtraOptions.Trim());
        return string.Join(' ', parts);
    }

    // Unquoted, so rEFInd turns each / into \ itself; the names are checked to need no quotes.
    static string BootPath(RefindEntry e, string fileName) => $"{e.SubvolumePath}/boot/{CheckFileName(fileName)}";

    /// <summary>
    /// A label rEFInd shows as written: printable ASCII only (its reader does not decode
    /// UTF-8), no double quote (it would end the quoted token), no backslash.
    /// </summary>
    public static string SafeLabel(string label)
    {
        var sb = new StringBuilder(label.Length);
        foreach (var c in label)
            sb.Append(c switch
            {
                '"' => '\'',
                '\\' => '/',
                '\t' or '\n' or '\r' => ' ',
                >= ' ' and <= '~' => c,
                _ => '?',
            });
        return sb.ToString().Trim();
    }

    /// <summary>True if a /boot file name can stand unquoted in a rEFInd line.</summary>
    public static bool IsPlainFileName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '+');

    static string CheckFileName(string name) => IsPlainFileName(name) ? name
        : throw new ApkgenException($"rEFInd cannot name the boot file '{name}' without quoting",
            "rename the file in /boot to letters, digits, '.', '-', '_' or '+'", ExitCodes.DataError);

    static string CheckQuoted(string value, string what) =>
        value.Length > 0 && !value.Contains('"') && value.All(c => c is >= ' ' and <= '~') ? value
            : throw new ApkgenException($"{what} '{value}' cannot be written inside rEFInd's quotes",
                "use printable ASCII without double quotes; apkgen.conf(5) describes [refind]", ExitCodes.Config);

    static string CheckBare(string value, string what) =>
        value.Length > 0 && value.All(c => c is > ' ' and <= '~' and not '"' and not '#' and not '=' and not ',') ? value
            : throw new ApkgenException($"{what} '{value}' cannot be written unquoted in a rEFInd line",
                "use a path without spaces, quotes, '#', '=' or ','", ExitCodes.Config);
}
