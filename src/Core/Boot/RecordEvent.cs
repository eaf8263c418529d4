using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>
/// Something a person must learn about: logged durably in the top level, sent to syslog,
/// and shown at the next login when <paramref name="Notify"/>.
/// </summary>
public sealed record RecordEvent(string Message, bool Notify) : BootStep;
