using System.Diagnostics;
using System.Text;
using Apkgen.Core.Edge;
using CliWrap;

namespace Apkgen.Core.Linux;

/// <summary>
/// Runs processes. Captured runs go through CliWrap. Interactive runs use
/// <see cref="Process"/> without redirection, because CliWrap always redirects the standard
/// streams, and apk's progress bar, its <c>-i</c> prompt and its colours need the terminal
/// itself. Both start the child synchronously on the calling thread, so it inherits that
/// thread's mount namespace (see <see cref="IMounts.EnterPrivateNamespace"/>).
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <inheritdoc />
    public int RunInteractive(ProcessSpec spec)
    {
        var psi = new ProcessStartInfo(spec.FileName) { UseShellExecute = false };
        foreach (var a in spec.Arguments) psi.ArgumentList.Add(a);
        if (spec.WorkingDirectory is not null) psi.WorkingDirectory = spec.WorkingDirectory;
        if (spec.Environment is not null)
            foreach (var (k, v) in spec.Environment)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("process did not start: " + spec.FileName);
        var pid = p.Id;
        Interruption.SetChild(signal => Native.kill(pid, signal));
        try
        {
            // A stop signal that arrived before the child's pid was known is passed on now,
            // Ctrl-C's SIGINT too: the terminal sent it before this child existed.
            if (Interruption.Requested) Native.kill(p.Id, Interruption.Signal);
            p.WaitForExit();
        }
        finally
        {
            Interruption.SetChild(null);
        }
        return p.ExitCode;
    }

    /// <inheritdoc />
    public ProcessResult RunCaptured(ProcessSpec spec)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var cmd = Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));
        if (spec.WorkingDirectory is not null) cmd = cmd.WithWorkingDirectory(spec.WorkingDirectory);
        if (spec.Environment is not null) cmd = cmd.WithEnvironmentVariables(spec.Environment);
        var result = cmd.ExecuteAsync().Task.GetAwaiter().GetResult();
        return new ProcessResult(result.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <inheritdoc />
    public LimitedRunResult RunWithTimeout(ProcessSpec spec, TimeSpan timeout)
    {
        var output = new StringBuilder();
        // Both pipes are read concurrently: one target that appends under a lock keeps the
        // interleaving and never races on the builder.
        var target = PipeTarget.Create(async (source, ct) =>
        {
            using var reader = new StreamReader(source, Encoding.UTF8, false, 4096, leaveOpen: true);
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                lock (output) output.Append(buffer, 0, n);
        });
        var cmd = Cli.Wrap(spec.FileName)
            .WithArguments(spec.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(target)
            .WithStandardErrorPipe(target);
        if (spec.WorkingDirectory is not null) cmd = cmd.WithWorkingDirectory(spec.WorkingDirectory);
        if (spec.Environment is not null) cmd = cmd.WithEnvironmentVariables(spec.Environment);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            // Forceful cancellation kills the process and its children (Process.Kill(true)).
            var result = cmd.ExecuteAsync(cts.Token).Task.GetAwaiter().GetResult();
            lock (output) return new LimitedRunResult(result.ExitCode, output.ToString());
        }
        catch (OperationCanceledException)
        {
            lock (output) return new LimitedRunResult(null, output.ToString());
        }
    }
}
