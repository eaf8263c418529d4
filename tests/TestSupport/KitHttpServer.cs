using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Apkgen.TestSupport;

/// <summary>
/// <c>python3 -m http.server</c> bound to 127.0.0.1 in the kit's directory, so a root's
/// repository can be <c>http://127.0.0.1:PORT/repo</c> as on a real system. Stopped (by its
/// pid) when disposed.
/// </summary>
public sealed class KitHttpServer : IDisposable
{
    readonly Process _process;

    KitHttpServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The repository line of a kit repository ("repo" or "repo-update").</summary>
    public string RepositoryUrl(string name = "repo") => $"http://127.0.0.1:{Port}/{name}";

    /// <summary>Starts the server on a free port and waits until it answers.</summary>
    public static KitHttpServer Start()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AlpineKit.Dir };
        foreach (var a in new[] { "-m", "http.server", "--bind", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 -m http.server did not start (python3 is needed)");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new KitHttpServer(p, port);
        for (var i = 0; i < 100; i++)
        {
            if (p.HasExited) throw new InvalidOperationException($"python3 -m http.server exited {p.ExitCode} on port {port}");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        server.Dispose();
        throw new InvalidOperationException($"python3 -m http.server did not answer on 127.0.0.1:{port} within 5 s");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
