using Apkgen.Core.Linux;

namespace Apkgen.Core;

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
        // First, so that a stop signal ends even the reading of the configuration with its
        // documented code (a FIFO or a slow disk would otherwise hold it).
        Interruption.Install(program);
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
        catch (Edge.UnresolvedInSnapshotException e)
        {
            // A generation's tree with a link leading out or a FIFO where a file belongs: bad input, not apkgen's bug.
            Console.Out.Flush();
            Console.Error.WriteLine($"{program}: error: {e.Message}");
            Console.Error.WriteLine($"{program}: fix that path of the generation (e.g. with apkgen exec), or delete the generation");
            return ExitCodes.DataError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            Console.Out.Flush();
            var noSpace = e is NativeIOException { Errno: Errno.ENOSPC } || (e.HResult & 0xFFFF) == Errno.ENOSPC
                || e.Message.Contains("No space left", StringComparison.Ordinal);
            Console.Error.WriteLine($"{program}: error: {Describe(e)}");
            Console.Error.WriteLine($"{program}: " + (noSpace
                ? "the filesystem is full; nothing was switched. Free space with 'apkgen gc', then try again"
                : internalRemedy));
            if (verbose) Console.Error.WriteLine(e);
            return noSpace ? ExitCodes.NoSpace : ExitCodes.Failure;
        }
    }

    // .NET's messages for the file errors apkgen meets, by resource key.
    static readonly Dictionary<string, string> Wording = new(StringComparer.Ordinal)
    {
        ["IO_FileNotFound_FileName"] = "no such file: {0}",
        ["IO_PathNotFound_Path"] = "no such file or directory: {0}",
        ["UnauthorizedAccess_IODenied_Path"] = "permission denied: {0}",
        ["IO_FileExists_Name"] = "already exists: {0}",
        ["IO_AlreadyExists_Name"] = "already exists: {0}",
        ["IO_PathTooLong_Path"] = "path too long: {0}",
        ["IO_SharingViolation_File"] = "in use by another process: {0}",
        ["IO_FileNotFound"] = "no such file",
        ["IO_PathNotFound_NoPathName"] = "no such file or directory",
        ["UnauthorizedAccess_IODenied_NoPathName"] = "permission denied",
    };

    /// <summary>
    /// An exception's message in words. The executables are built with UseSystemResourceKeys
    /// (smaller and quicker to start), which leaves .NET's own messages as resource keys
    /// ("UnauthorizedAccess_IODenied_Path, /etc/apkgen.conf"); the file errors apkgen meets
    /// are worded here, anything else is shown as it is.
    /// </summary>
    public static string Describe(Exception e)
    {
        var message = e.Message;
        var comma = message.IndexOf(", ", StringComparison.Ordinal);
        var key = comma < 0 ? message : message[..comma];
        if (!Wording.TryGetValue(key, out var wording))
            return message;
        return comma < 0 ? wording : string.Format(System.Globalization.CultureInfo.InvariantCulture, wording, message[(comma + 2)..]);
    }
}
