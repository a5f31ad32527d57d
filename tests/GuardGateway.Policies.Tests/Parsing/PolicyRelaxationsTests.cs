using GuardGateway.Core.Policies;
using GuardGateway.Policies.Parsing;
using GuardGateway.Policies.Tests.Infrastructure;

namespace GuardGateway.Policies.Tests.Parsing;

public sealed class PolicyRelaxationsTests
{
    private static ModerationPolicy P(string text) => PolicyParserTests.Parse(text).Policy ?? throw new InvalidOperationException(string.Join("\n", PolicyParserTests.Parse(text).Diagnostics));

    [Fact]
    public void Find_SamePolicyOrStricter_None()
    {
        var before = P(PolicyTexts.Minimal("t"));

        Assert.Empty(PolicyRelaxations.Find(before, before));
        Assert.Empty(PolicyRelaxations.Find(before, P(PolicyTexts.Minimal("t", extra: "threshold: 0.2\n"))));
    }

    [Theory]
    [InlineData("flag", "", "S1 input action block -> flag")]
    [InlineData("block", "threshold: 0.9\n", "S1 input threshold 0.5 -> 0.9")]
    [InlineData("block", "on_error: allow\n", "on_error becomes allow (fail-open)")]
    [InlineData("block", "exclude: [S1]\n", "S1 is removed or excluded")]
    public void Find_Weakened_Listed(string s1, string extra, string expected)
    {
        var before = P(PolicyTexts.Minimal("t"));

        Assert.Contains(expected, PolicyRelaxations.Find(before, P(PolicyTexts.Minimal("t", s1: s1, extra: extra))));
    }

    [Fact]
    public void Find_PromptReworded_Listed()
    {
        var relaxations = PolicyRelaxations.Find(P(PolicyTexts.Minimal("t")), P(PolicyTexts.Minimal("t", s1Prompt: "Nothing.")));

        Assert.Equal(["S1 prompt text changes"], relaxations);
    }

    [Fact]
    public void Find_NewPolicy_ComparedWithTheTrainedBaseline()
    {
        // Minimal has S1 (block) and S2 only: S4 and S9 are missing.
        var relaxations = PolicyRelaxations.Find(null, P(PolicyTexts.Minimal("t")));

        Assert.Equal(["S4 is removed or excluded", "S9 is removed or excluded"], relaxations);
        Assert.Empty(PolicyRelaxations.Find(null, P(File.ReadAllText(GuardGateway.TestUtilities.RepositoryPaths.Combine("policies", "default.yaml")))));
    }
}
