using System.Text;
using Xunit;

namespace Apkgen.TestSupport;

/// <summary>One change made through the wrapper and by the real apk directly on an equal copy of the root.</summary>
public sealed record ChangeComparison(
    (int Code, string Output) Wrapped,
    (int Code, string Output) Direct,
    (byte[] Installed, byte[] World) WrappedDb,
    (byte[] Installed, byte[] World) DirectDb)
{
    /// <summary>Asserts that the wrapper ended as apk did: exit code, installed db and world byte for byte.</summary>
    public ChangeComparison AssertSameAsDirect()
    {
        Assert.True(Wrapped.Code == Direct.Code,
            $"the wrapper exited {Wrapped.Code}, the real apk directly {Direct.Code}\n--- wrapper:\n{Wrapped.Output}\n--- direct:\n{Direct.Output}");
        Assert.True(WrappedDb.Installed.AsSpan().SequenceEqual(DirectDb.Installed),
            $"lib/apk/db/installed differs\n--- wrapper (slot 0):\n{Encoding.UTF8.GetString(WrappedDb.Installed)}\n--- direct:\n{Encoding.UTF8.GetString(DirectDb.Installed)}");
        Assert.True(WrappedDb.World.AsSpan().SequenceEqual(DirectDb.World),
            $"etc/apk/world differs\n--- wrapper (slot 0):\n{Encoding.UTF8.GetString(WrappedDb.World)}\n--- direct:\n{Encoding.UTF8.GetString(DirectDb.World)}");
        return this;
    }

    /// <summary>Asserts that apk itself failed and the wrapper ended with apk's exit code.</summary>
    public ChangeComparison AssertFailedAsDirect()
    {
        Assert.NotEqual(0, Direct.Code);
        Assert.True(Wrapped.Code == Direct.Code, $"wrapper {Wrapped}\ndirect {Direct}");
        return this;
    }
}
