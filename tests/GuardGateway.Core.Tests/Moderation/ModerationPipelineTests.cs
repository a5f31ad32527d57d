using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;
using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;
using GuardGateway.Core.Tests.Fakes;

namespace GuardGateway.Core.Tests.Moderation;

public sealed class ModerationPipelineTests
{
    private static readonly ChatMessage U1 = new(ChatRole.User, "first question");
    private static readonly ChatMessage A1 = new(ChatRole.Assistant, "first answer");
    private static readonly ChatMessage U2 = new(ChatRole.User, "second question");
    private static readonly ChatMessage A2 = new(ChatRole.Assistant, "second answer");

    public static TheoryData<ChatMessage[], ModerationDirection, int> Slices => new()
    {
        { [U1], ModerationDirection.Input, 1 },
        { [U1, A1], ModerationDirection.Input, 1 },
        { [U1, A1, U2], ModerationDirection.Input, 3 },
        { [U1, A1, U2, A2], ModerationDirection.Input, 3 },
        { [U1, A1], ModerationDirection.Output, 2 },
        { [U1, A1, U2], ModerationDirection.Output, 2 },
        { [U1, A1, U2, A2], ModerationDirection.Output, 4 },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public async Task ModerateAsync_Direction_SendsSliceEndingAtTheAssessedMessage(ChatMessage[] conversation, ModerationDirection direction, int expectedCount)
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());

        var result = await new ModerationPipeline(classifier).ModerateAsync(conversation, TestPolicies.Sample(), direction, CancellationToken.None);

        Assert.True(result.IsSuccess);
        var sent = Assert.Single(classifier.Requests).Messages;
        Assert.Equal(conversation.Take(expectedCount), sent);
        Assert.Equal(direction == ModerationDirection.Input ? ChatRole.User : ChatRole.Assistant, sent[^1].Role);
    }

    public static TheoryData<ChatMessage[], ModerationDirection, string> Invalid => new()
    {
        { [], ModerationDirection.Input, "empty" },
        { [A1], ModerationDirection.Input, "Message 0 has role 'assistant'" },
        { [U1, U2], ModerationDirection.Input, "Message 1 has role 'user'" },
        { [U1, A1, A2], ModerationDirection.Output, "Message 2 has role 'assistant'" },
        { [U1], ModerationDirection.Output, "needs an assistant message" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task ModerateAsync_BadConversation_InvalidRequestWithoutClassifying(ChatMessage[] conversation, ModerationDirection direction, string message)
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());

        var result = await new ModerationPipeline(classifier).ModerateAsync(conversation, TestPolicies.Sample(), direction, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error.Code);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(classifier.Requests);
    }

    [Fact]
    public async Task ModerateAsync_NullContent_InvalidRequest()
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());

        var result = await new ModerationPipeline(classifier).ModerateAsync([new ChatMessage(ChatRole.User, null!)], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error!.Code);
        Assert.Equal("Message 0 is missing its content.", result.Error.Message);
    }

    [Fact]
    public async Task PublicMethods_NullArguments_ThrowArgumentNull()
    {
        var pipeline = new ModerationPipeline(new FakeGuardClassifier(_ => FakeGuardClassifier.Safe()));

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await pipeline.ModerateAsync([U1], null!, ModerationDirection.Input, CancellationToken.None));
        var withLanguages = new ModerationPipeline(new FakeGuardClassifier(_ => FakeGuardClassifier.Safe()), new FakeLanguageDetector("first"));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await withLanguages.ModerateAsync([U1], null!, ModerationDirection.Input, CancellationToken.None));
        Assert.Throws<ArgumentNullException>(() => ModerationPipeline.BuildRequest(null!, TestPolicies.Sample(), ModerationDirection.Input));
        Assert.Throws<ArgumentNullException>(() => ModerationPipeline.BuildRequest([U1], null!, ModerationDirection.Input));
        Assert.Throws<ArgumentNullException>(() => new ModerationPipeline(null!));
    }

    [Fact]
    public void BuildRequest_LowestThresholdNotTheLastCategory_StillTheLowest()
    {
        // The lowest threshold must win wherever it sits; the policy default only applies when nothing is enabled.
        var policy = TestPolicies.Sample() with
        {
            Threshold = 0.5f,
            Categories =
            [
                TestPolicies.Category("S1", "A", ModerationAction.Block, ModerationAction.Block, 0.6f, 0.2f),
                TestPolicies.Category("S2", "B", ModerationAction.Block, ModerationAction.Block, 0.1f, 0.7f),
                TestPolicies.Category("S3", "C", ModerationAction.Block, ModerationAction.Block, 0.4f, 0.9f),
            ],
            Exclude = [],
        };

        Assert.Equal(0.1f, ModerationPipeline.BuildRequest([U1], policy, ModerationDirection.Input).CategoryThreshold);
        Assert.Equal(0.2f, ModerationPipeline.BuildRequest([U1, A1], policy, ModerationDirection.Output).CategoryThreshold);
    }

    [Fact]
    public void BuildRequest_EveryCategoryExcluded_PolicyThreshold()
    {
        var policy = TestPolicies.Sample() with { Exclude = ["S1", "S6", "S7", "S8", "S9"] };

        Assert.Equal(0.5f, ModerationPipeline.BuildRequest([U1], policy, ModerationDirection.Input).CategoryThreshold);
    }

    [Fact]
    public void BuildRequest_Policy_CarriesFormatCategoriesExclusionsAndMinimumThreshold()
    {
        var policy = TestPolicies.Sample() with { IncludeDescriptions = true };

        var input = ModerationPipeline.BuildRequest([U1], policy, ModerationDirection.Input);
        var output = ModerationPipeline.BuildRequest([U1, A1], policy, ModerationDirection.Output);

        Assert.Equal("llama-guard-3-8b", input.FormatId);
        Assert.Equal(["S1", "S6", "S7", "S8", "S9"], input.Categories!.Select(c => c.Code));
        Assert.Equal("Violent Crimes.", input.Categories![0].Text);
        Assert.Equal(["S9"], input.ExcludedCodes);
        Assert.True(input.IncludeDescriptions);

        // S9's 0.05 is excluded from the prompt, so it cannot be reported and must not force decoding.
        Assert.Equal(0.3f, input.CategoryThreshold);
        Assert.Equal(0.5f, output.CategoryThreshold);
    }

    [Fact]
    public void BuildRequest_HigherThresholdsEverywhere_UsesTheLowest()
    {
        var policy = TestPolicies.Sample() with
        {
            Threshold = 0.8f,
            Categories = [TestPolicies.Category("S1", "A", ModerationAction.Block, ModerationAction.Block, 0.9f, 0.75f)],
            Exclude = [],
        };

        Assert.Equal(0.9f, ModerationPipeline.BuildRequest([U1], policy, ModerationDirection.Input).CategoryThreshold);
        Assert.Equal(0.75f, ModerationPipeline.BuildRequest([U1, A1], policy, ModerationDirection.Output).CategoryThreshold);
    }

    [Fact]
    public async Task ModerateAsync_UnsafeAnswer_EvaluatedUnderThePolicy()
    {
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Unsafe(0.95f, "S7"));

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1, A1], TestPolicies.Sample(), ModerationDirection.Output, CancellationToken.None);

        Assert.Equal(ModerationAction.Redact, result.Value!.Action);
        Assert.Equal("v1", result.Value.PolicyVersion);
    }

    [Theory]
    [InlineData(FailMode.Closed, ModerationAction.Block)]
    [InlineData(FailMode.Open, ModerationAction.Allow)]
    public async Task ModerateAsync_ClassifierError_FollowsFailMode(FailMode mode, ModerationAction expected)
    {
        var classifier = new FakeGuardClassifier(_ => new GuardError(GuardErrorCode.QueueFull, "The inference queue is full."));

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1], TestPolicies.Sample(mode), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(expected, result.Value!.Action);
        Assert.Equal(GuardErrorCode.QueueFull, result.Value.NoVerdict!.Code);
        Assert.Equal("fake-guard", result.Value.Model);
        Assert.Equal(mode == FailMode.Open, result.Value.FailedOpen);
    }

    [Fact]
    public async Task ModerateAsync_ClassifierThrows_FailsClosed()
    {
        var classifier = new FakeGuardClassifier(_ => throw new InvalidOperationException("boom"));

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(ModerationAction.Block, result.Value!.Action);
        Assert.Equal("fail-closed: ClassifierFailure: The classifier threw InvalidOperationException.", result.Value.Reason);
    }

    [Fact]
    public async Task ModerateAsync_ClassifierRejectsRequest_ReturnsTheError()
    {
        var classifier = new FakeGuardClassifier(_ => GuardError.Invalid("Unknown format."));

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(GuardErrorCode.InvalidRequest, result.Error!.Code);
    }

    [Fact]
    public async Task ModerateAsync_CallerCancelled_ReturnsCancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var classifier = new FakeGuardClassifier(_ => FakeGuardClassifier.Safe());

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1], TestPolicies.Sample(), ModerationDirection.Input, cts.Token);

        Assert.Equal(GuardErrorCode.Cancelled, result.Error!.Code);
        Assert.Equal("The request was cancelled before the guard answered.", result.Error.Message);
    }

    [Fact]
    public async Task ModerateAsync_InternalTimeoutWhileCallerWaits_FailsClosed()
    {
        var classifier = new FakeGuardClassifier(_ => new GuardError(GuardErrorCode.Cancelled, "Classification timed out."));

        var result = await new ModerationPipeline(classifier).ModerateAsync([U1], TestPolicies.Sample(), ModerationDirection.Input, CancellationToken.None);

        Assert.Equal(ModerationAction.Block, result.Value!.Action);
        Assert.True(result.Value.FailedClosed);
    }
}
