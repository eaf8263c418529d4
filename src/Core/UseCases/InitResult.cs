using Apkgen.Core.Layout;

namespace Apkgen.Core.UseCases;

/// <summary>The layout <c>apkgen init</c> made, and the device it is on.</summary>
public sealed record InitResult(LayoutState State, string Device);
