using CsCheck;
using GuardGateway.Inference.Decoding;

namespace GuardGateway.Inference.Tests.Decoding;

public sealed class GuardOutputParserTests
{
    private static readonly string[] Codes = [.. Enumerable.Range(1, 14).Select(i => $"S{i}")];

    [Theory]
    [InlineData("safe")]
    [InlineData("\n\nsafe")]
    [InlineData("safe\n")]
    [InlineData("  safe  ")]
    public void Parse_Safe_IsSafe(string text)
    {
        Assert.Equal(GuardOutputKind.Safe, GuardOutputParser.Parse(text, Codes).Kind);
    }

    [Theory]
    [InlineData("unsafe\nS1", new[] { "S1" })]
    [InlineData("\n\nunsafe\nS1,S10", new[] { "S1", "S10" })]
    [InlineData("unsafe\nS14,S2,S2", new[] { "S14", "S2" })]
    public void Parse_Unsafe_ListsCodesInOrder(string text, string[] expected)
    {
        var output = GuardOutputParser.Parse(text, Codes);
        Assert.Equal(GuardOutputKind.Unsafe, output.Kind);
        Assert.Equal(expected, output.Codes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("unsafe")]
    [InlineData("unsafe\n")]
    [InlineData("unsafe\nS15")]
    [InlineData("unsafe\nS0")]
    [InlineData("unsafe\nS1, S2")]
    [InlineData("unsafe\nS1,")]
    [InlineData("unsafe\nS1\nS2")]
    [InlineData("unsafe\nS1\n\nsafe")]
    [InlineData("safe\nS1")]
    [InlineData("Safe")]
    [InlineData("SAFE")]
    [InlineData("safe.")]
    [InlineData("safety")]
    [InlineData("unsafe\r\nS1")]
    [InlineData("unsafe S1")]
    [InlineData("I think this is safe")]
    [InlineData("unsafe\nViolent Crimes")]
    public void Parse_Malformed_IsParseFailureNeverSafe(string text)
    {
        var output = GuardOutputParser.Parse(text, Codes);
        Assert.Equal(GuardOutputKind.ParseFailure, output.Kind);
        Assert.False(string.IsNullOrEmpty(output.FailureReason));
    }

    [Fact]
    public void Parse_Null_IsParseFailure()
    {
        var output = GuardOutputParser.Parse(null, Codes);
        Assert.Equal(GuardOutputKind.ParseFailure, output.Kind);
        Assert.Equal("The guard produced no output.", output.FailureReason);
    }

    [Fact]
    public void Parse_NullEnabledCodes_ThrowsEvenForSafe()
    {
        // A caller bug is reported as such, not hidden by an answer that never reads the list.
        Assert.Throws<ArgumentNullException>(() => GuardOutputParser.Parse("safe", null!));
    }

    [Fact]
    public void Parse_CodeNotInPrompt_IsParseFailure()
    {
        Assert.Equal(GuardOutputKind.ParseFailure, GuardOutputParser.Parse("unsafe\nS6", ["S5", "S7"]).Kind);
    }

    [Fact]
    public void Parse_FuzzedText_IsSafeOnlyWhenExactlySafe()
    {
        var alphabet = Gen.Char["safeunS1,0\n \t"];
        Gen.OneOf(Gen.String[alphabet, 0, 16], Gen.String).Sample(text =>
        {
            var output = GuardOutputParser.Parse(text, Codes);
            return output.Kind != GuardOutputKind.Safe || text.Trim() == "safe";
        }, iter: 10_000, seed: "0N0XIzNsQ0O2");
    }
}
