using Apkgen.Core.Layout;

namespace Apkgen.Core.UseCases;

/// <summary>How <see cref="AfterLayoutChange"/> runs for one executable.</summary>
/// <param name="Say">Prints a line for the user, with the executable's prefix.</param>
/// <param name="Gc">Run gc afterwards ([gc] auto, for apkgen's own switches; boot assessment never deletes).</param>
/// <param name="Switched">Told first, with the new layout (apkgen records the switch for its apk wrapper).</param>
public sealed record AfterLayoutChangeOptions(Action<string> Say, bool Gc, Action<LayoutState>? Switched = null);
