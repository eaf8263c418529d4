namespace Apkgen.Core.Refind;

/// <summary>Which of the managed files a <see cref="RefindFile"/> is.</summary>
public enum RefindFileKind
{
    /// <summary>The stanza file ([refind] output).</summary>
    Stanzas,
    /// <summary>trial.conf ([refind] trial_output), in trial mode only.</summary>
    Trial,
    /// <summary>rEFInd's main configuration with the include line ([refind] main_config).</summary>
    MainConfig,
}
