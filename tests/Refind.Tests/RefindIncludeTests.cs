using Apkgen.Core.Refind;

namespace Apkgen.Refind.Tests;

public class RefindIncludeTests
{
    static byte[] Sample()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "refind.conf-sample");
        Assert.True(File.Exists(path), $"fixture missing: {path} (Debian refind 0.13.2's refind.conf-sample)");
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void The_include_is_appended_to_debians_sample_and_every_original_byte_is_kept()
    {
        var original = Sample();
        var text = RefindInclude.Bytes.GetString(original);

        var result = RefindInclude.Bytes.GetBytes(RefindInclude.Ensure(text, "apkgen.conf"));

        Assert.Equal(original, result.AsSpan(0, original.Length).ToArray());
        Assert.Equal("""

            # Added by apkgen-refind(8): the entries of apkgen's generations.
            include apkgen.conf

            """, RefindInclude.Bytes.GetString(result, original.Length, result.Length - original.Length));
    }

    [Fact]
    public void Inserting_twice_changes_nothing_the_second_time()
    {
        var once = RefindInclude.Ensure(RefindInclude.Bytes.GetString(Sample()), "apkgen.conf");
        Assert.Same(once, RefindInclude.Ensure(once, "apkgen.conf"));
    }

    [Fact]
    public void The_samples_commented_include_example_does_not_count_as_an_include()
    {
        var text = RefindInclude.Bytes.GetString(Sample());
        Assert.Contains("#include manual.conf", text);
        Assert.False(RefindInclude.HasInclude(text, "manual.conf"));
    }

    [Theory]
    [InlineData("include apkgen.conf")]
    [InlineData("  INCLUDE   Apkgen.Conf   # ours")]
    [InlineData("include \"apkgen.conf\"")]
    [InlineData("\tinclude\tapkgen.conf\r")]
    public void An_include_written_by_hand_in_rEFInds_own_spelling_is_recognised(string line)
    {
        var text = "timeout 20\n" + line + "\nscanfor manual\n";
        Assert.Same(text, RefindInclude.Ensure(text, "apkgen.conf"));
    }

    [Fact]
    public void A_path_with_slashes_matches_the_same_path_with_backslashes()
    {
        Assert.True(RefindInclude.HasInclude("include apkgen\\stanzas.conf\n", "apkgen/stanzas.conf"));
        Assert.False(RefindInclude.HasInclude("include other.conf\n", "apkgen.conf"));
    }

    [Fact]
    public void A_file_with_crlf_line_ends_and_no_final_newline_keeps_its_line_ends()
    {
        Assert.Equal("timeout 20\r\nscanfor manual\r\n\r\n" + RefindInclude.Comment + "\r\ninclude apkgen.conf\r\n",
            RefindInclude.Ensure("timeout 20\r\nscanfor manual", "apkgen.conf"));
        Assert.Equal("timeout 20\n\n" + RefindInclude.Comment + "\ninclude apkgen.conf\n", RefindInclude.Ensure("timeout 20", "apkgen.conf"));
    }

    [Fact]
    public void Bytes_that_are_not_ascii_survive_the_round_trip()
    {
        byte[] original = [0x23, 0x20, 0xC3, 0xA9, 0xFF, 0x00, 0x0A];
        var result = RefindInclude.Bytes.GetBytes(RefindInclude.Ensure(RefindInclude.Bytes.GetString(original), "apkgen.conf"));
        Assert.Equal(original, result[..original.Length]);
    }
}
