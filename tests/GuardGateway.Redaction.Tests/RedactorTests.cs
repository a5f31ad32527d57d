using GuardGateway.Core.Redaction;
using GuardGateway.Core.Results;

namespace GuardGateway.Redaction.Tests;

public sealed class RedactorTests
{
    private static readonly RedactionCategory Privacy = new("S7", "Privacy");
    private static readonly RedactionCategory Violence = new("S1", "Violent Crimes");
    private static readonly Redactor Redactor = new();

    /// <summary>A fake guard: flags every segment whose content contains a trigger word, and records what it was asked.</summary>
    private sealed class KeywordClassifier(params (string Word, RedactionCategory Category)[] triggers)
    {
        public List<IReadOnlyList<TextSegment>> Calls { get; } = [];

        public ValueTask<Result<IReadOnlyList<SegmentVerdict>>> Classify(IReadOnlyList<TextSegment> segments, CancellationToken cancellationToken)
        {
            Calls.Add(segments);
            IReadOnlyList<SegmentVerdict> verdicts = segments
                .Select(s => new SegmentVerdict(s.Index, triggers.Where(t => s.Content.Contains(t.Word, StringComparison.Ordinal)).Select(t => t.Category).ToList()))
                .ToList();
            return ValueTask.FromResult(Result.Success(verdicts));
        }
    }

    [Fact]
    public async Task RedactAsync_FlaggedSentence_ReplacedAndLayoutKept()
    {
        var guard = new KeywordClassifier(("address", Privacy));
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Sure. Her home address is 12 Elm St.\nAnything else?", UnsafeCategories = [Privacy] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(RedactionOutcome.Redacted, result.Outcome);
        Assert.Equal("Sure. [removed: S7 Privacy]\nAnything else?", result.Text);
        var replacement = Assert.Single(result.Replacements);
        Assert.Equal((6, 30), (replacement.OriginalStart, replacement.OriginalLength));
        Assert.Equal(["Sure.", "Her home address is 12 Elm St.", "Anything else?"], Assert.Single(guard.Calls).Select(s => s.Content));
    }

    [Fact]
    public async Task RedactAsync_AdjacentFlaggedSentences_OneReplacementNamingBothCodes()
    {
        var guard = new KeywordClassifier(("hurt", Violence), ("lives", Privacy));
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Hi. He lives at 5 Oak Rd. Go hurt him. Bye.", UnsafeCategories = [Violence, Privacy] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("Hi. [removed: S7 Privacy, S1 Violent Crimes] Bye.", result.Text);
    }

    [Fact]
    public async Task RedactAsync_FlaggedCodeBlockAndListItem_RemovedWhole()
    {
        var guard = new KeywordClassifier(("secret", Privacy));
        const string Text = "Steps:\n- open the secret file. Then close it.\n```sh\ncat secret.txt\necho done.\n```\nEnd.";
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = Text, Template = "[{code}]", UnsafeCategories = [Privacy] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("Steps:\n[S7] Then close it.\n[S7]\nEnd.", result.Text);
        Assert.Equal([SegmentKind.ListItem, SegmentKind.CodeBlock], result.Replacements.Select(r => result.Segments.First(s => s.ContentStart == r.OriginalStart).Kind));
    }

    [Fact]
    public async Task RedactAsync_FlaggedSegmentsAndPersonalData_MergeWhereTheyOverlap()
    {
        var guard = new KeywordClassifier(("lives", Privacy));
        const string Text = "Call 555-234-5678 now. She lives at a@b.io today. Thanks.";
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = Text, UnsafeCategories = [Privacy], PersonalDataCategory = Privacy },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("Call [removed: S7 Privacy] now. [removed: S7 Privacy] Thanks.", result.Text);
        Assert.Equal([(5, 12, 5, 21), (23, 26, 32, 21)], result.Replacements.Select(r => (r.OriginalStart, r.OriginalLength, r.RedactedStart, r.RedactedLength)));
    }

    [Fact]
    public async Task RedactAsync_NoSegmentFlagged_NotLocalizedWithoutText()
    {
        var guard = new KeywordClassifier(("nothing-matches", Privacy));
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Unsafe as a whole. Harmless apart.", UnsafeCategories = [Privacy] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(RedactionOutcome.NotLocalized, result.Outcome);
        Assert.Equal(string.Empty, result.Text);
        Assert.Equal([Privacy], result.UnlocalizedCategories);
    }

    [Fact]
    public async Task RedactAsync_OnlySomeCategoriesLocalized_NotLocalized()
    {
        var guard = new KeywordClassifier(("address", Privacy));
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "The address is here. Also violence overall.", UnsafeCategories = [Privacy, Violence] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(RedactionOutcome.NotLocalized, result.Outcome);
        Assert.Equal([Violence], result.UnlocalizedCategories);
    }

    [Fact]
    public async Task RedactAsync_PiiCannotLocalizeAGuardCategory_NotLocalized()
    {
        // The guard said S7 for the whole text but for no segment: an e-mail pattern alone does not prove the rest is safe.
        var guard = new KeywordClassifier();
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Write to a@b.io about it.", UnsafeCategories = [Privacy], PersonalDataCategory = Privacy },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(RedactionOutcome.NotLocalized, result.Outcome);
    }

    [Fact]
    public async Task RedactAsync_PersonalDataOnly_MasksPatternsWithoutCallingTheGuard()
    {
        var guard = new KeywordClassifier();
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Mail a@b.io or 4111-1111-1111-1111.", Template = "<{name}>", PersonalDataCategory = Privacy },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal("Mail <Privacy> or <Privacy>.", result.Text);
        Assert.Equal(2, result.Replacements.Count);
        Assert.Empty(guard.Calls);
    }

    [Fact]
    public async Task RedactAsync_NothingFound_Unchanged()
    {
        var guard = new KeywordClassifier();
        var result = (await Redactor.RedactAsync(new RedactionRequest { Text = "All fine here.", PersonalDataCategory = Privacy }, guard.Classify, CancellationToken.None)).GetValueOrThrow();
        Assert.Equal((RedactionOutcome.Unchanged, "All fine here."), (result.Outcome, result.Text));
    }

    [Fact]
    public async Task RedactAsync_ClassifierError_ReturnedUnchanged()
    {
        var error = new GuardError(GuardErrorCode.QueueFull, "queue full");
        var result = await Redactor.RedactAsync(
            new RedactionRequest { Text = "Some text.", UnsafeCategories = [Privacy] },
            (_, _) => ValueTask.FromResult(Result.Failure<IReadOnlyList<SegmentVerdict>>(error)),
            CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Same(error, result.Error);
    }

    [Fact]
    public async Task RedactAsync_VerdictForUnknownSegment_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Redactor.RedactAsync(
            new RedactionRequest { Text = "One. Two.", UnsafeCategories = [Privacy] },
            (_, _) => ValueTask.FromResult(Result.Success<IReadOnlyList<SegmentVerdict>>([new SegmentVerdict(7, [Privacy])])),
            CancellationToken.None));
        Assert.Contains("segment 7, which was not sent (text has 2 segments)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedactAsync_OneSegmentFlaggedForTwoCategories_BothLocalized()
    {
        var guard = new KeywordClassifier(("hurt", Violence), ("hurt", Privacy));
        var result = (await Redactor.RedactAsync(
            new RedactionRequest { Text = "Hi. Go hurt him now. Bye.", UnsafeCategories = [Privacy, Violence] },
            guard.Classify,
            CancellationToken.None)).GetValueOrThrow();

        Assert.Equal(RedactionOutcome.Redacted, result.Outcome);
        Assert.Equal("Hi. [removed: S1 Violent Crimes, S7 Privacy] Bye.", result.Text);
    }

    [Fact]
    public async Task RedactAsync_NullArguments_ThrowNamingTheArgument()
    {
        var guard = new KeywordClassifier();
        var request = new RedactionRequest { Text = "x" };

        Assert.Throws<ArgumentNullException>(() => new Redactor(null!));
        await AssertNull("request", () => Redactor.RedactAsync(null!, guard.Classify, CancellationToken.None));
        await AssertNull("request.Text", () => Redactor.RedactAsync(request with { Text = null! }, guard.Classify, CancellationToken.None));
        await AssertNull("request.Template", () => Redactor.RedactAsync(request with { Template = null! }, guard.Classify, CancellationToken.None));
        await AssertNull("request.UnsafeCategories", () => Redactor.RedactAsync(request with { UnsafeCategories = null! }, guard.Classify, CancellationToken.None));

        // Rejected even when no segment would be classified.
        await AssertNull("classifySegments", () => Redactor.RedactAsync(request, null!, CancellationToken.None));

        static async Task AssertNull(string parameter, Func<ValueTask<Result<RedactionResult>>> call) =>
            Assert.Equal(parameter, (await Assert.ThrowsAsync<ArgumentNullException>(async () => await call())).ParamName);
    }

    [Fact]
    public async Task RedactAsync_BlankText_NotLocalizedWithoutCallingTheGuard()
    {
        var guard = new KeywordClassifier();
        var result = (await Redactor.RedactAsync(new RedactionRequest { Text = "  \n", UnsafeCategories = [Privacy] }, guard.Classify, CancellationToken.None)).GetValueOrThrow();
        Assert.Equal(RedactionOutcome.NotLocalized, result.Outcome);
        Assert.Empty(guard.Calls);
    }

    [Fact]
    public async Task RedactAsync_CancelledToken_Throws()
    {
        var guard = new KeywordClassifier();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Redactor.RedactAsync(new RedactionRequest { Text = "x" }, guard.Classify, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Segment_DelegatesToSegmenter()
    {
        Assert.Equal(["One.", "Two."], Redactor.Segment("One. Two.").Select(s => s.Content));
    }
}
