using System.Globalization;
using System.Text;
using Apkgen.Core.Edge;
using Apkgen.Core.Layout;

namespace Apkgen.Core.Boot;

/// <summary>
/// Where boot assessment tells people what happened. The running root is read-only, so
/// <c>/etc/motd</c> is out; the record lives where it can be written at any point of a boot:
/// <list type="bullet">
/// <item><c>bootcheck.log</c> in the btrfs top level: every event, one line each, durable
/// (written before the syncfs that precedes any reboot); <c>apkgen-bootcheck status</c> shows it.</item>
/// <item><c>bootcheck.notice</c> in the top level: events to show at the next login that
/// happened just before a reboot; the late check of the next boot moves them to /run.</item>
/// <item><c>/run/apkgen/notice</c>: what logins of this boot show
/// (<c>/etc/profile.d/apkgen-bootcheck.sh</c> prints it); <c>/run/apkgen/last-event</c>: the latest line.</item>
/// <item>syslog through <c>logger</c> (tag apkgen-bootcheck), and the console.</item>
/// </list>
/// </summary>
public sealed class BootEvents(SystemContext ctx, TopLevel top, string runDirPath)
{
    /// <summary>The durable event log in the top level.</summary>
    public static string LogFilePath(TopLevel top) => Path.Combine(top.TopDirPath, "bootcheck.log");
    /// <summary>Notices carried over a reboot, in the top level.</summary>
    public static string CarriedNoticeFilePath(TopLevel top) => Path.Combine(top.TopDirPath, "bootcheck.notice");
    /// <summary>What logins of this boot show.</summary>
    public string NoticeFilePath => Path.Combine(runDirPath, "notice");
    /// <summary>The latest event of this boot.</summary>
    public string LastEventFilePath => Path.Combine(runDirPath, "last-event");

    /// <summary>Records one event everywhere; <paramref name="beforeReboot"/>: the login notice waits for the next boot.</summary>
    public void Record(string message, bool notify, bool beforeReboot)
    {
        var line = ctx.Clock.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + " " + message;
        ctx.Err.WriteLine("apkgen-bootcheck: " + message);
        Append(LogFilePath(top), line + "\n", durable: true);
        TryRun(() =>
        {
            Directory.CreateDirectory(runDirPath);
            File.WriteAllText(LastEventFilePath, line + "\n");
        });
        if (notify)
        {
            if (beforeReboot) Append(CarriedNoticeFilePath(top), line + "\n", durable: true);
            else TryRun(() => Append(NoticeFilePath, line + "\n", durable: false));
        }
        // syslogd may not run yet at the early check: the lines above are the record that counts.
        TryRun(() => ctx.Processes.RunCaptured(new ProcessSpec("logger",
            ["-t", "apkgen-bootcheck", "-p", notify ? "daemon.warning" : "daemon.notice", message])));
    }

    /// <summary>
    /// Moves notices carried over a reboot to this boot's login notice. Returns true when
    /// there were any (the caller syncs the top level).
    /// </summary>
    public bool PublishCarried()
    {
        var carried = CarriedNoticeFilePath(top);
        if (!File.Exists(carried)) return false;
        var text = File.ReadAllText(carried);
        Directory.CreateDirectory(runDirPath);
        Append(NoticeFilePath, text, durable: false);
        File.Delete(carried);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            ctx.Err.WriteLine("apkgen-bootcheck: before the last reboot: " + line);
        return true;
    }

    /// <summary>The last <paramref name="count"/> lines of the event log.</summary>
    public static IReadOnlyList<string> Tail(TopLevel top, int count)
    {
        var path = LogFilePath(top);
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        return lines.Length <= count ? lines : lines[^count..];
    }

    static void Append(string path, string text, bool durable)
    {
        using var fs = new FileStream(path, FileMode.Append, FileAccess.Write);
        fs.Write(Encoding.UTF8.GetBytes(text));
        fs.Flush(flushToDisk: durable);
    }

    void TryRun(Action action)
    {
        try { action(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            ctx.Err.WriteLine("apkgen-bootcheck: (could not write a record: " + e.Message + ")");
        }
    }
}
