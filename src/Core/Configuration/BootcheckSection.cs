namespace Apkgen.Core.Configuration;

/// <summary>[bootcheck]: boot assessment (apkgen-bootcheck(8)).</summary>
public sealed record BootcheckSection
{
    /// <summary>The default of <see cref="HealthDir"/>.</summary>
    public const string DefaultHealthDir = "/etc/apkgen/health.d";
    /// <summary>The default of <see cref="RefindLoader"/>: where refind-install puts rEFInd on the ESP.</summary>
    public const string DefaultRefindLoader = @"\EFI\refind\refind_x64.efi";

    /// <summary><c>counter</c> (any firmware) or <c>trial</c> (UEFI BootNext).</summary>
    public BootcheckMode Mode { get; init; } = BootcheckMode.Counter;
    /// <summary>Boot attempts a pending generation gets in counter mode.</summary>
    public int Attempts { get; init; } = 3;
    /// <summary>Directory of health checks: every executable in it runs at the late check, in name order.</summary>
    public string HealthDir { get; init; } = DefaultHealthDir;
    /// <summary>Seconds one health check may run; a check still running then is killed and counts as failed.</summary>
    public int HealthTimeout { get; init; } = 60;
    /// <summary><c>reboot</c>: a failed health check demotes the generation and reboots; <c>warn</c>: only says so.</summary>
    public HealthFailureAction OnFailure { get; init; } = HealthFailureAction.Reboot;
    /// <summary>Trial mode: rEFInd's loader on the ESP, as efibootmgr's <c>-l</c> takes it.</summary>
    public string RefindLoader { get; init; } = DefaultRefindLoader;
    /// <summary>Trial mode: the configuration file rEFInd is started with (<c>-c NAME</c>, relative to rEFInd's directory).</summary>
    public string TrialConfig { get; init; } = "trial.conf";
    /// <summary>Trial mode: the disk holding the ESP (efibootmgr <c>-d</c>); null: the disk of the mount holding <c>[refind] output</c>.</summary>
    public string? EfiDisk { get; init; }
    /// <summary>Trial mode: the ESP's partition number (efibootmgr <c>-p</c>); null: found like <see cref="EfiDisk"/>.</summary>
    public int? EfiPartition { get; init; }

    internal static BootcheckSection Read(ConfigReader r)
    {
        var trialConfig = r.String("trial_config", "trial.conf");
        // rEFInd reads the -c name up to a space or the NUL; a space would cut it short.
        if (trialConfig.Contains(' ') || trialConfig.Contains('\t'))
            throw new ApkgenException($"[bootcheck] trial_config = '{trialConfig}' contains a space",
                "name a file without spaces (rEFInd reads the -c argument up to the first space)", ExitCodes.Config);
        var partition = r.Int("efi_partition", 0, 0, 128);
        return new()
        {
            Mode = r.Choice("mode", BootcheckMode.Counter, ("counter", BootcheckMode.Counter), ("trial", BootcheckMode.Trial)),
            Attempts = r.Int("attempts", 3, 1, 100),
            HealthDir = r.Path("health_dir", DefaultHealthDir),
            HealthTimeout = r.Int("health_timeout", 60, 1, 3600),
            OnFailure = r.Choice("on_failure", HealthFailureAction.Reboot, ("reboot", HealthFailureAction.Reboot), ("warn", HealthFailureAction.Warn)),
            RefindLoader = r.String("refind_loader", DefaultRefindLoader),
            TrialConfig = trialConfig,
            EfiDisk = r.OptionalPath("efi_disk"),
            EfiPartition = partition == 0 ? null : partition,
        };
    }
}
