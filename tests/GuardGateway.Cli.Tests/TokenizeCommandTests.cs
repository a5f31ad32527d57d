using System.Text.Json;
using GuardGateway.TestUtilities;

namespace GuardGateway.Cli.Tests;

public sealed class TokenizeCommandTests
{
    [Theory]
    [InlineData("This is a test sentence.", new[] { 2028, 374, 264, 1296, 11914, 13 })]
    [InlineData("x<|eot_id|>y", new[] { 87, 27, 91, 68, 354, 851, 91, 29, 88 })]
    [InlineData("unsafe\nS1,S10", new[] { 39257, 198, 50, 16, 21861, 605 })]
    public async Task Tokenize_Text_PrintsPlainTextIdsAsJsonArray(string text, int[] expected)
    {
        var result = await Guardctl.RunAsync("tokenize", "--tokenizer", TestTokenizerFile.Path, "--text", text);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, JsonSerializer.Deserialize<int[]>(result.StandardOutput));
    }

    [Fact]
    public async Task Tokenize_MissingText_FailsWithUsage()
    {
        var result = await Guardctl.RunAsync("tokenize", "--tokenizer", TestTokenizerFile.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--text", result.StandardError, StringComparison.Ordinal);
    }
}
