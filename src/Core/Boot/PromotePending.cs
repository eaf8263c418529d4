using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>Trial success: <c>current</c> becomes the links generation <c>pending</c> names.</summary>
public sealed record PromotePending(string LinksId) : BootStep;
