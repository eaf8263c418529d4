using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Change a generation's boot state, with the reason shown by status and list.</summary>
public sealed record SetBootState(string Id, BootState State, string Reason) : BootStep;
