using System.Diagnostics;

namespace Apkgen.TestSupport;

/// <summary>Runs host tools for test set-up; a failure throws with the tool's output.</summary>
public static class Sh
{
    /// <summary>Runs a program, returns (exit code, stdout+stderr).</summary>
    public static (int Code, string Output) Try(string file, params string[] args) => TryIn(null, null, file, args);

    /// <summary>Runs a program with extra environment and optional stdin text.</summary>
    public static (int Code, string Output) TryIn(IDictionary<string, string>? env, string? stdin, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Runs a program and requires exit code 0.</summary>
    public static string Run(string file, params string[] args)
    {
        var (code, output) = Try(file, args);
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>The repository root (the directory holding apkgen.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "apkgen.sln"))) return d.FullName;
            throw new InvalidOperationException("apkgen.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Fails the test with a message when not root: these tests need loop devices and mounts.</summary>
    public static void RequireRoot()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("this test needs root (loop devices, mounts, btrfs ioctls); run scripts/test as root");
    }
}
