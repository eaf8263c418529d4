namespace Apkgen.Generations.Tests;

public class ErrorHandlerTests
{
    [Theory]
    [InlineData("UnauthorizedAccess_IODenied_Path, /etc/apkgen.conf", "permission denied: /etc/apkgen.conf")]
    [InlineData("IO_FileExists_Name, /run/apkgen/top/x, y", "already exists: /run/apkgen/top/x, y")]
    [InlineData("IO_PathNotFound_NoPathName", "no such file or directory")]
    [InlineData("Could not find file '/x'.", "Could not find file '/x'.")]
    [InlineData("Some_Other_Key, /x", "Some_Other_Key, /x")]
    public void Resource_keys_of_the_file_errors_apkgen_meets_are_worded(string message, string described) =>
        Assert.Equal(described, ErrorHandler.Describe(new IOException(message)));

    [Fact]
    public void An_unexpected_file_error_is_an_internal_error_with_its_message_in_words()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            var code = ErrorHandler.Run("apkgen", verbose: false, "report it",
                () => throw new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, /etc/apkgen.conf"));
            Assert.Equal(ExitCodes.Failure, code);
        }
        finally
        {
            Console.SetError(saved);
        }
        Assert.Equal("apkgen: error: permission denied: /etc/apkgen.conf\napkgen: report it\n", error.ToString());
    }
}
