using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Spend one boot attempt of a pending generation (counter mode): write generation.ini, syncfs.</summary>
/// <param name="Id">The generation.</param>
/// <param name="AttemptsLeft">Attempts left after this boot.</param>
public sealed record SpendAttempt(string Id, int AttemptsLeft) : BootStep;
