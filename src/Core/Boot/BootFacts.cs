using System.Globalization;
using Apkgen.Core.Configuration;
using Apkgen.Core.Layout;
using Apkgen.Core.Model;
using Apkgen.Core.Transactions;

namespace Apkgen.Core.Boot;

/// <summary>Everything the boot assessment decides from: read once, under the lock.</summary>
/// <param name="State">The layout.</param>
/// <param name="Booted">The running generation and the slot the boot manager named.</param>
/// <param name="Config">[bootcheck].</param>
/// <param name="LinksCount">[layout] links: slots of a new links generation.</param>
/// <param name="BootedAt">When this boot started (UTC), if known: a generation committed after it cannot have been tried yet.</param>
public sealed record BootFacts(LayoutState State, Booted Booted, BootcheckSection Config, int LinksCount, DateTime? BootedAt = null);
