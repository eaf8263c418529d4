using Apkgen.Core.Model;

namespace Apkgen.Core.Boot;

/// <summary>One thing the boot check does to the layout, decided by <see cref="BootAssessment"/>.</summary>
public abstract record BootStep;
