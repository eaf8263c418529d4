namespace Apkgen.Core.Configuration;

/// <summary>
/// The words apkgen.conf(5) spells the configuration's modes with, for messages and status
/// output: the enums are parsed once from them (<see cref="ConfigReader.Choice{T}"/>) and
/// shown as the administrator wrote them.
/// </summary>
public static class ConfigWords
{
    /// <summary><c>counter</c> or <c>trial</c>.</summary>
    public static string Word(this BootcheckMode mode) => mode switch
    {
        BootcheckMode.Trial => "trial",
        _ => "counter",
    };

    /// <summary><c>reboot</c> or <c>warn</c>.</summary>
    public static string Word(this HealthFailureAction action) => action switch
    {
        HealthFailureAction.Warn => "warn",
        _ => "reboot",
    };
}
