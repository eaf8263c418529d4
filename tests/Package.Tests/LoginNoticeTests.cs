using Apkgen.Core.Boot;

namespace Apkgen.Package.Tests;

/// /etc/profile.d/apkgen.sh (openrc/apkgen.profile): one line at login while a reboot is needed.
public sealed class LoginNoticeTests
{
    const string Script = "openrc/apkgen.profile";

    [Fact]
    public void The_notice_reads_the_file_apkgen_writes_on_a_booted_system() =>
        Assert.Contains(RebootRequired.PathFor(""), Repository.Read(Script));

    [Fact]
    public async Task The_notice_prints_one_line_while_the_file_exists_and_nothing_without_it()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            // The script as installed, with the file moved into the test's directory.
            var file = Path.Combine(dir, "reboot-required");
            var script = Path.Combine(dir, "apkgen.sh");
            File.WriteAllText(script, Repository.Read(Script).Replace(RebootRequired.PathFor(""), file));
            File.WriteAllText(file, "reboot required: running A, the next boot starts B\n");
            var shown = await Tool.RunAsync("busybox", ["ash", "-c", $". {script}"]);
            Assert.True(shown.ExitCode == 0, shown.Describe());
            Assert.Equal("apkgen: reboot required: running A, the next boot starts B (apkgen status says what changes)\n", shown.StandardOutput);
            File.Delete(file);
            var quiet = await Tool.RunAsync("busybox", ["ash", "-c", $". {script}; echo rc=$?"]);
            Assert.Equal("rc=0\n", quiet.StandardOutput);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
