using System.Net.Sockets;
using System.Text;
using Apkgen.Core.Edge;

namespace Apkgen.Core.Linux;

/// <summary>
/// Writes to syslog as syslog(3) does: one datagram per line to the unix socket
/// <c>/dev/log</c>, <c>&lt;PRI&gt;TAG[PID]: MESSAGE</c> (RFC 3164 without the timestamp, which
/// busybox syslogd and the others add on receipt). Facility daemon, so busybox syslogd's default
/// /var/log/messages has it.
/// </summary>
public sealed class SyslogSocket(string tag, string socketPath = "/dev/log") : ISystemLog
{
    const int FacilityDaemon = 3;

    /// <inheritdoc />
    public void Write(LogSeverity severity, string message)
    {
        var line = $"<{FacilityDaemon * 8 + (int)severity}>{tag}[{Environment.ProcessId}]: {message}";
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send(Encoding.UTF8.GetBytes(line));
        }
        catch (SocketException)
        {
            // No syslogd (or a stream socket, as some daemons make): the line still went to
            // standard output, which crond mails or logs.
        }
    }
}
