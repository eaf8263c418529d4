namespace Apkgen.Core.Configuration;

/// <summary>
/// [refind]: the stanza file apkgen-refind writes (apkgen-refind(8)). Every value that is
/// discovered from the system (volume, root, resume) can be set here instead; null means
/// "discover it".
/// </summary>
public sealed record RefindSection
{
    /// <summary>The stanza file on the ESP, in rEFInd's directory or below it; null: rEFInd is not managed.</summary>
    public string? Output { get; init; }
    /// <summary>rEFInd's main configuration file, which gets the <c>include</c> line; null: <c>refind.conf</c> beside <see cref="Output"/>.</summary>
    public string? MainConfig { get; init; }
    /// <summary>Whether to add the <c>include</c> line to <see cref="MainConfig"/> when it is missing.</summary>
    public bool AddInclude { get; init; } = true;
    /// <summary>Trial mode's main configuration (started with <c>-c trial.conf</c>); null: <c>trial.conf</c> beside <see cref="Output"/>.</summary>
    public string? TrialOutput { get; init; }
    /// <summary>Seconds trial.conf's menu waits before booting its default (never 0: a menu without timeout hangs).</summary>
    public int TrialTimeout { get; init; } = 5;
    /// <summary>The menu title before each entry's description.</summary>
    public string Title { get; init; } = "Alpine Linux";
    /// <summary>rEFInd's <c>volume</c>: a GPT partition name, filesystem label or PARTUUID; null: discovered in that order.</summary>
    public string? Volume { get; init; }
    /// <summary>The kernel's <c>root=</c> value (e.g. <c>UUID=...</c>); null: <c>UUID=</c> of the btrfs filesystem.</summary>
    public string? Root { get; init; }
    /// <summary>The kernel's <c>resume=</c> value; null: the swap line of the fstab template; <c>none</c>: no resume.</summary>
    public string? Resume { get; init; }
    /// <summary>Mount options after <c>subvol=...</c> in <c>rootflags=</c> (the guide's).</summary>
    public string RootFlags { get; init; } = "ro,noatime";
    /// <summary>Extra kernel options, appended after root and resume (e.g. <c>quiet overlaytmpfs panic=10</c>).</summary>
    public string Options { get; init; } = "quiet";
    /// <summary>The kernel flavour to boot (<c>vmlinuz-FLAVOR</c>); null: lts, else virt, else the first found. A slot without it boots its own.</summary>
    public string? Flavor { get; init; }
    /// <summary>Microcode images in a generation's /boot passed before the initramfs; those absent are left out.</summary>
    public IReadOnlyList<string> Microcode { get; init; } = DefaultMicrocode;
    /// <summary>The entry's icon, a path on rEFInd's own volume; null: none.</summary>
    public string? Icon { get; init; } = DefaultIcon;

    /// <summary>Alpine's microcode packages install these (intel-ucode, amd-ucode).</summary>
    public static readonly IReadOnlyList<string> DefaultMicrocode = ["intel-ucode.img", "amd-ucode.img"];
    /// <summary>The guide's icon.</summary>
    public const string DefaultIcon = "/EFI/refind/icons/os_linux.png";

    internal static RefindSection Read(ConfigReader r)
    {
        var microcode = r.List("microcode", DefaultMicrocode);
        var icon = r.String("icon", DefaultIcon);
        var section = new RefindSection
        {
            Output = r.OptionalPath("output"),
            MainConfig = r.OptionalPath("main_config"),
            AddInclude = r.Bool("add_include", true),
            TrialOutput = r.OptionalPath("trial_output"),
            TrialTimeout = r.Int("trial_timeout", 5, 1, 600),
            Title = r.String("title", "Alpine Linux"),
            Volume = r.OptionalString("volume"),
            Root = r.OptionalString("root"),
            Resume = r.OptionalString("resume"),
            RootFlags = r.String("rootflags", "ro,noatime"),
            Options = r.String("options", "quiet"),
            Flavor = r.OptionalString("flavor"),
            Microcode = microcode is [var only] && only.Equals("none", StringComparison.OrdinalIgnoreCase) ? [] : microcode,
            Icon = icon.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : icon,
        };
        return section;
    }
}
