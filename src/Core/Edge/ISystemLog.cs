namespace Apkgen.Core.Edge;

/// <summary>How much a system log line matters (syslog(3) severities).</summary>
public enum LogSeverity
{
    /// <summary>LOG_ERR.</summary>
    Error = 3,
    /// <summary>LOG_WARNING.</summary>
    Warning = 4,
    /// <summary>LOG_NOTICE.</summary>
    Notice = 5,
    /// <summary>LOG_INFO.</summary>
    Info = 6,
}

/// <summary>The system log (busybox syslogd on Alpine).</summary>
public interface ISystemLog
{
    /// <summary>Sends one line; never fails (no syslogd running is not an error of the caller).</summary>
    void Write(LogSeverity severity, string message);
}
