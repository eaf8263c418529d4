using Apkgen.Generations.Linux;

namespace Apkgen.Generations;

/// <summary>
/// The one top-level handler every executable wraps its verbs in (DESIGN, "Errors"):
/// an <see cref="ApkgenException"/> becomes <c>PROGRAM: error: what</c>, a line with the
/// remedy, and its exit code; an unexpected I/O failure is an internal error (70, or 73 for a
/// full disk); stack traces only with --verbose.
/// </summary>
public static class ErrorHandler
{
    /// <summary>Runs <paramref name="body"/> and turns its failures into messages and exit codes.</summary>
    /// <param name="program">The executable's name, for the message prefix.</param>
    /// <param name="verbose">Whether to print the underlying exception.</param>
    /// <param name="internalRemedy">The remedy line for unexpected failures.</param>
    /// <param name="body">The verb.</param>
    public static int Run(string program, bool verbose, string internalRemedy, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ApkgenException e)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"{program}: error: {e.Message}");
            Console.Error.WriteLine($"{program}: {e.Remedy}");
            if (verbose && e.InnerException is not null) Console.Error.WriteLine(e.InnerException);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            Console.Out.Flush();
            var noSpace = e is NativeIOException { Errno: Native.ENOSPC } || (e.HResult & 0xFFFF) == Native.ENOSPC
                || e.Message.Contains("No space left", StringComparison.Ordinal);
            Console.Error.WriteLine($"{program}: error: {e.Message}");
            Console.Error.WriteLine($"{program}: " + (noSpace
                ? "the filesystem is full; nothing was switched. Free space with 'apkgen gc', then try again"
                : internalRemedy));
            if (verbose) Console.Error.WriteLine(e);
            return noSpace ? ExitCodes.NoSpace : ExitCodes.Failure;
        }
    }
}
