using GuardGateway.Core.Classification;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Moderation;

public sealed class DecisionEvaluatorTests
{
    public static TheoryData<string, ModerationDirection, float, string[], ModerationAction, string> Table => new()
    {
        // case, direction, P(unsafe), named codes, expected action, expected reported codes
        { "safe", ModerationDirection.Input, 0.01f, [], ModerationAction.Allow, "" },
        { "S1 blocks input", ModerationDirection.Input, 0.9f, ["S1"], ModerationAction.Block, "S1" },
        { "S1 blocks output", ModerationDirection.Output, 0.9f, ["S1"], ModerationAction.Block, "S1" },
        { "S6 allowed in questions", ModerationDirection.Input, 0.9f, ["S6"], ModerationAction.Allow, "S6" },
        { "S6 output under its 0.7 threshold", ModerationDirection.Output, 0.6f, ["S6"], ModerationAction.Allow, "" },
        { "S6 output at exactly its threshold", ModerationDirection.Output, 0.7f, ["S6"], ModerationAction.Flag, "S6" },
        { "S6 output above its threshold", ModerationDirection.Output, 0.75f, ["S6"], ModerationAction.Flag, "S6" },
        { "S7 redacts output", ModerationDirection.Output, 0.8f, ["S7"], ModerationAction.Redact, "S7" },
        { "most severe wins: flag < redact", ModerationDirection.Output, 0.8f, ["S6", "S7"], ModerationAction.Redact, "S6,S7" },
        { "most severe wins: block over all", ModerationDirection.Output, 0.8f, ["S6", "S7", "S1"], ModerationAction.Block, "S6,S7,S1" },
        { "S8 own low input threshold", ModerationDirection.Input, 0.35f, ["S8"], ModerationAction.Flag, "S8" },
        { "S1 under the policy default threshold", ModerationDirection.Input, 0.35f, ["S1", "S8"], ModerationAction.Flag, "S8" },
        { "policy default threshold is inclusive", ModerationDirection.Input, 0.5f, ["S1"], ModerationAction.Block, "S1" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Evaluate_Table_MostSevereReportedAction(string name, ModerationDirection direction, float probability, string[] codes, ModerationAction expected, string reported)
    {
        var classification = codes.Length == 0 ? FakeGuardClassifier.Safe(probability) : FakeGuardClassifier.Unsafe(probability, codes);

        var decision = DecisionEvaluator.Evaluate(classification, TestPolicies.Sample(), direction);

        Assert.True(expected == decision.Action, name);
        Assert.Equal(reported, string.Join(',', decision.Categories.Where(c => c.Reported).Select(c => c.Code)));
        Assert.Equal(codes, decision.Categories.Select(c => c.Code).ToArray());
        Assert.Null(decision.NoVerdict);
        Assert.False(decision.FailedOpen);
        Assert.Equal(direction, decision.Direction);
        Assert.Equal(probability, decision.UnsafeProbability);
    }

    [Fact]
    public void Evaluate_Unsafe_CarriesPolicyModelNamesAndActions()
    {
        var decision = DecisionEvaluator.Evaluate(FakeGuardClassifier.Unsafe(0.9f, "S7", "S1"), TestPolicies.Sample(id: "p", version: "abc@1"), ModerationDirection.Output);

        Assert.Equal("p", decision.PolicyId);
        Assert.Equal("abc@1", decision.PolicyVersion);
        Assert.Equal("fake-guard", decision.Model);
        Assert.Equal(new CategoryVerdict("S7", "Privacy", 0.9f, ModerationAction.Redact, true), decision.Categories[0]);
        Assert.Equal(new CategoryVerdict("S1", "Violent Crimes", 0.9f, ModerationAction.Block, true), decision.Categories[1]);
        Assert.Equal("unsafe: S7 Privacy (redact), S1 Violent Crimes (block)", decision.Reason);
        Assert.NotNull(decision.Classification);
    }

    [Fact]
    public void Evaluate_CategoryScores_UsedWhenPresent()
    {
        var classification = FakeGuardClassifier.Classification(GuardOutcome.Unsafe, 0.9f, ["S1", "S7"], new Dictionary<string, float> { ["S1"] = 0.6f });

        var decision = DecisionEvaluator.Evaluate(classification, TestPolicies.Sample(), ModerationDirection.Input);

        Assert.Equal(0.6f, decision.Categories[0].Score);
        Assert.Equal(0.9f, decision.Categories[1].Score);
    }

    [Fact]
    public void Evaluate_BelowThreshold_ReasonSaysSo()
    {
        var decision = DecisionEvaluator.Evaluate(FakeGuardClassifier.Unsafe(0.6f, "S6"), TestPolicies.Sample(), ModerationDirection.Output);

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.Equal("unsafe: S6 Specialized Advice (below threshold: P(unsafe) 0.6 < 0.7)", decision.Reason);
    }

    [Theory]
    [InlineData(FailMode.Closed, ModerationAction.Block, false)]
    [InlineData(FailMode.Open, ModerationAction.Allow, true)]
    public void Evaluate_ParseFailure_FollowsFailMode(FailMode mode, ModerationAction expected, bool failedOpen)
    {
        var classification = FakeGuardClassifier.Classification(GuardOutcome.ParseFailure, 0.4f, parseFailure: "The first line is neither 'safe' nor 'unsafe'.");

        var decision = DecisionEvaluator.Evaluate(classification, TestPolicies.Sample(mode), ModerationDirection.Input);

        Assert.Equal(expected, decision.Action);
        Assert.Equal(failedOpen, decision.FailedOpen);
        Assert.Equal(!failedOpen, decision.FailedClosed);
        Assert.Equal(GuardErrorCode.ParseFailure, decision.NoVerdict!.Code);
        Assert.StartsWith(failedOpen ? "fail-open: ParseFailure: The first line" : "fail-closed: ParseFailure: The first line", decision.Reason, StringComparison.Ordinal);
        Assert.Empty(decision.Categories);
        Assert.Equal(0.4f, decision.UnsafeProbability);
    }

    [Theory]
    [InlineData(GuardErrorCode.QueueFull)]
    [InlineData(GuardErrorCode.Cancelled)]
    [InlineData(GuardErrorCode.ClassifierFailure)]
    [InlineData(GuardErrorCode.PromptTooLong)]
    public void EvaluateFailure_Closed_BlocksWithReason(GuardErrorCode code)
    {
        var decision = DecisionEvaluator.EvaluateFailure(new GuardError(code, "why"), TestPolicies.Sample(), ModerationDirection.Output, "m");

        Assert.Equal(ModerationAction.Block, decision.Action);
        Assert.Equal($"fail-closed: {code}: why", decision.Reason);
        Assert.True(decision.FailedClosed);
        Assert.Equal("m", decision.Model);
        Assert.Equal(0f, decision.UnsafeProbability);
        Assert.Null(decision.Classification);
    }

    [Fact]
    public void EvaluateFailure_Open_AllowsAndSaysFailedOpen()
    {
        var decision = DecisionEvaluator.EvaluateFailure(new GuardError(GuardErrorCode.QueueFull, "full"), TestPolicies.Sample(FailMode.Open), ModerationDirection.Input, "m");

        Assert.Equal(ModerationAction.Allow, decision.Action);
        Assert.True(decision.FailedOpen);
        Assert.False(decision.FailedClosed);
        Assert.Equal("fail-open: QueueFull: full", decision.Reason);
    }

    public static TheoryData<string, GuardClassification, GuardErrorCode, string> Inconsistent => new()
    {
        { "code not in the policy", FakeGuardClassifier.Unsafe(0.9f, "S2"), GuardErrorCode.ParseFailure, "The guard named S2, which is not an enabled category of policy 'sample'." },
        { "excluded code", FakeGuardClassifier.Unsafe(0.9f, "S9"), GuardErrorCode.ParseFailure, "The guard named S9, which" },
        { "16-char code shown whole", FakeGuardClassifier.Unsafe(0.9f, "S123456789012345"), GuardErrorCode.ParseFailure, "The guard named S123456789012345, which" },
        { "longer code cut at 16", FakeGuardClassifier.Unsafe(0.9f, "S1234567890123456789"), GuardErrorCode.ParseFailure, "The guard named S123456789012345…, which" },
        { "unsafe without categories", FakeGuardClassifier.Unsafe(0.9f), GuardErrorCode.ParseFailure, "The guard answered unsafe without naming a category." },
        { "NaN probability", FakeGuardClassifier.Safe(float.NaN), GuardErrorCode.ClassifierFailure, "outside [0, 1]" },
        { "probability above 1", FakeGuardClassifier.Unsafe(1.5f, "S1"), GuardErrorCode.ClassifierFailure, "outside [0, 1]" },
        { "negative probability", FakeGuardClassifier.Safe(-0.1f), GuardErrorCode.ClassifierFailure, "outside [0, 1]" },
        { "unknown outcome", FakeGuardClassifier.Classification((GuardOutcome)42, 0.1f), GuardErrorCode.ClassifierFailure, "The classifier returned an unknown outcome." },
        { "parse failure without a reason", FakeGuardClassifier.Classification(GuardOutcome.ParseFailure, 0.1f), GuardErrorCode.ParseFailure, "did not follow the output grammar" },
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void Evaluate_InconsistentAnswer_IsNoVerdictAndFailsClosed(string name, GuardClassification classification, GuardErrorCode code, string why)
    {
        var decision = DecisionEvaluator.Evaluate(classification, TestPolicies.Sample(), ModerationDirection.Input);

        Assert.True(decision.Action == ModerationAction.Block, name);
        Assert.Equal(code, decision.NoVerdict!.Code);
        Assert.StartsWith("fail-closed: ", decision.Reason, StringComparison.Ordinal);
        Assert.Contains(why, decision.Reason, StringComparison.Ordinal);
        Assert.Empty(decision.Categories);

        // A probability outside [0, 1] is never reported as if it were one.
        Assert.InRange(decision.UnsafeProbability, 0f, 1f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    public void Evaluate_ProbabilityAtTheBoundsOfItsRange_IsAVerdict(float probability)
    {
        var safe = DecisionEvaluator.Evaluate(FakeGuardClassifier.Safe(probability), TestPolicies.Sample(), ModerationDirection.Input);
        var unsafeAnswer = DecisionEvaluator.Evaluate(FakeGuardClassifier.Unsafe(probability, "S8"), TestPolicies.Sample(), ModerationDirection.Input);

        Assert.Null(safe.NoVerdict);
        Assert.Equal((ModerationAction.Allow, "safe", probability), (safe.Action, safe.Reason, safe.UnsafeProbability));
        Assert.Null(unsafeAnswer.NoVerdict);
        Assert.Equal(probability >= 0.3f ? ModerationAction.Flag : ModerationAction.Allow, unsafeAnswer.Action);
    }

    [Fact]
    public void Evaluate_ParseFailureAtProbabilityOne_KeepsTheProbability()
    {
        var decision = DecisionEvaluator.Evaluate(FakeGuardClassifier.Classification(GuardOutcome.ParseFailure, 1f, parseFailure: "x"), TestPolicies.Sample(), ModerationDirection.Input);

        Assert.True(decision.FailedClosed);
        Assert.Equal(1f, decision.UnsafeProbability);
    }

    [Fact]
    public void Evaluate_RepeatedCode_ListedOnce()
    {
        var decision = DecisionEvaluator.Evaluate(FakeGuardClassifier.Unsafe(0.9f, "S7", "S7"), TestPolicies.Sample(), ModerationDirection.Output);

        Assert.Equal(["S7"], decision.Categories.Select(c => c.Code));
        Assert.Equal("unsafe: S7 Privacy (redact)", decision.Reason);
    }

    [Fact]
    public void PublicMethods_NullArguments_ThrowArgumentNull()
    {
        var policy = TestPolicies.Sample();
        var decision = DecisionEvaluator.Evaluate(FakeGuardClassifier.Safe(), policy, ModerationDirection.Input);
        var error = new GuardError(GuardErrorCode.QueueFull, "full");

        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.Evaluate(null!, policy, ModerationDirection.Input));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.Evaluate(FakeGuardClassifier.Safe(), null!, ModerationDirection.Input));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.EvaluateFailure(null!, policy, ModerationDirection.Input, "m"));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.EvaluateFailure(error, null!, ModerationDirection.Input, "m"));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.EvaluateFailure(error, policy, ModerationDirection.Input, null!));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.ApplyUnsupportedLanguage(null!, policy));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.ApplyUnsupportedLanguage(decision, null!));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.BlockUnsupportedLanguage(null!, ModerationDirection.Input, "m"));
        Assert.Throws<ArgumentNullException>(() => DecisionEvaluator.BlockUnsupportedLanguage(policy, ModerationDirection.Input, null!));
    }

    [Fact]
    public void ModerationAction_Order_IsAllowFlagRedactBlock()
    {
        Assert.True(ModerationAction.Allow < ModerationAction.Flag);
        Assert.True(ModerationAction.Flag < ModerationAction.Redact);
        Assert.True(ModerationAction.Redact < ModerationAction.Block);
        foreach (var name in ModerationActionNames.All)
        {
            Assert.True(ModerationActionNames.TryParse(name, out var action));
            Assert.Equal(name, action.ToWireName());
        }

        Assert.False(ModerationActionNames.TryParse("Block", out _));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ((ModerationAction)7).ToWireName());
        Assert.Contains("Unknown moderation action.", error.Message, StringComparison.Ordinal);
    }
}
