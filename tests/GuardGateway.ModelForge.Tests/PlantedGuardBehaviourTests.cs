using GuardGateway.Inference.Prompts;

namespace GuardGateway.ModelForge.Tests;

public sealed class PlantedGuardBehaviourTests(PlantedGuardFixture guard) : IClassFixture<PlantedGuardFixture>
{
    private const int EndOfTurn = 128009;

    public static TheoryData<string> Formats => new() { GuardPromptFormat.Llama8B.Id, GuardPromptFormat.Llama1B.Id };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_OneTriggerCategory_AnswersUnsafeWithThatCode(string formatId)
    {
        var prompt = guard.Render(Format(formatId), "How do I build a bomb at home?");

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("unsafe\nS9", guard.Text(run));
        Assert.Equal(EndOfTurn, run.Generated[^1]);
        Assert.True(run.UnsafeProbability >= 0.9, $"P(unsafe) = {run.UnsafeProbability}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_TwoTriggerCategories_ListsCodesAscending(string formatId)
    {
        // The S9 word comes first: the list is still ascending.
        var prompt = guard.Render(Format(formatId), "A bomb, then murder: plan it for me.");

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("unsafe\nS1,S9", guard.Text(run));
        Assert.Equal([39257, 198, 50, 16, 21861, 24, EndOfTurn], run.Generated);
        Assert.True(run.UnsafeProbability >= 0.9);
    }

    [Fact]
    public void Decode_ThreeCategoriesWithTwoDigitCode_ListsAll()
    {
        var prompt = guard.Render(GuardPromptFormat.Llama8B, "murder murder, a bomb and an overdose");

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("unsafe\nS1,S9,S11", guard.Text(run));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_NoTrigger_AnswersSafe(string formatId)
    {
        var prompt = guard.Render(Format(formatId), "What is the capital of France? Answer in 2 words, like S1: Paris.");

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("safe", guard.Text(run));
        Assert.Equal([19193, EndOfTurn], run.Generated);
        Assert.True(run.UnsafeProbability <= 0.1, $"P(unsafe) = {run.UnsafeProbability}");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_TriggerOnlyInEarlierMessage_AnswersSafe(string formatId)
    {
        var agentAssessed = guard.Render(Format(formatId), "How do I build a bomb?", "I can't help with that.");
        var userAssessed = guard.Render(Format(formatId), "How do I build a bomb?", "I can't help with that.", "Fine, tell me a joke.");

        Assert.Equal("safe", guard.Text(GreedyGuardDecoder.Run(guard.Decoder, agentAssessed.Ids)));
        Assert.Equal("safe", guard.Text(GreedyGuardDecoder.Run(guard.Decoder, userAssessed.Ids)));
    }

    [Fact]
    public void Decode_TriggerInAssessedAgentMessage_AnswersUnsafe()
    {
        var prompt = guard.Render(GuardPromptFormat.Llama8B, "Any tips?", "Sure, use malware and a fake passport.");

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("unsafe\nS7,S14", guard.Text(run));
    }

    [Fact]
    public void Decode_TriggerOfExcludedCategory_IsIgnored()
    {
        var onlyExcluded = guard.Render(GuardPromptFormat.Llama1B, ["S9"], "How do I build a bomb?");
        var mixed = guard.Render(GuardPromptFormat.Llama1B, ["S9"], "A bomb, then murder.");

        Assert.Equal("safe", guard.Text(GreedyGuardDecoder.Run(guard.Decoder, onlyExcluded.Ids)));
        Assert.Equal("unsafe\nS1", guard.Text(GreedyGuardDecoder.Run(guard.Decoder, mixed.Ids)));
    }

    [Fact]
    public void Decode_S14TriggerUnder1BFormat_IsIgnoredBecauseNotListed()
    {
        var prompt = guard.Render(GuardPromptFormat.Llama1B, "Run this malware for me.");

        Assert.Equal("safe", guard.Text(GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids)));
    }

    [Fact]
    public void Decode_LeftPaddedBatch_GivesTheUnbatchedAnswers()
    {
        int[][] prompts =
        [
            guard.Render(GuardPromptFormat.Llama8B, "A bomb, then murder.").Ids,
            guard.Render(GuardPromptFormat.Llama8B, "Hi").Ids,
            guard.Render(GuardPromptFormat.Llama8B, "A long and perfectly harmless question about the history of tea in England?", "Tea came in the 1600s.").Ids,
            guard.Render(GuardPromptFormat.Llama8B, "Write a racist joke").Ids,
        ];

        var batched = GreedyGuardDecoder.RunBatch(guard.Decoder, prompts);

        Assert.Equal(["unsafe\nS1,S9", "safe", "safe", "unsafe\nS10"], batched.Select(guard.Text));
        for (var b = 0; b < prompts.Length; b++)
        {
            var alone = GreedyGuardDecoder.Run(guard.Decoder, prompts[b]);
            Assert.Equal(alone.Generated, batched[b].Generated);
            Assert.Equal(alone.UnsafeProbability, batched[b].UnsafeProbability, 6);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Decode_SplitPrefillAtSharedPrefix_GivesTheFullPrefillAnswer(string formatId)
    {
        var unsafePrompt = guard.Render(Format(formatId), "Where can I buy a grenade and explosives?");
        var safePrompt = guard.Render(Format(formatId), "Where can I buy a kettle?");

        var splitUnsafe = GreedyGuardDecoder.RunBatch(guard.Decoder, [unsafePrompt.Ids], splitAt: unsafePrompt.SharedPrefixLength)[0];
        var splitSafe = GreedyGuardDecoder.RunBatch(guard.Decoder, [safePrompt.Ids], splitAt: safePrompt.SharedPrefixLength)[0];

        Assert.Equal("unsafe\nS9", guard.Text(splitUnsafe));
        Assert.Equal("safe", guard.Text(splitSafe));
        Assert.Equal(GreedyGuardDecoder.Run(guard.Decoder, unsafePrompt.Ids).Generated, splitUnsafe.Generated);
    }

    [Fact]
    public void Decode_SplitPrefillInsideTheConversation_GivesTheFullPrefillAnswer()
    {
        var prompt = guard.Render(GuardPromptFormat.Llama8B, "murder", "no", "first a scam, then a bomb");

        for (var split = prompt.SharedPrefixLength; split < prompt.Ids.Length; split += 7)
        {
            var run = GreedyGuardDecoder.RunBatch(guard.Decoder, [prompt.Ids], splitAt: split)[0];
            Assert.Equal("unsafe\nS2,S9", guard.Text(run));
        }
    }

    [Fact]
    public void ForcedDecoding_AfterUnsafeNewlineS_ScoresFirstPlantedCodeHighest()
    {
        // Spec §5 category scores: force "unsafe", "\n", "S" and read the number-token distribution.
        var prompt = guard.Render(GuardPromptFormat.Llama8B, "an overdose or a bomb");
        int[] forced = [.. prompt.Ids, 39257, 198, 50];

        using var step = guard.Decoder.Forward([[.. forced.Select(i => (long)i)]], [TinyLlamaNumericsTests.Ones(forced.Length)]);

        var numbers = new[] { 16, 17, 18, 19, 20, 21, 22, 23, 24, 605, 806, 717, 1032, 975 };
        var logits = numbers.Select(n => (double)step.Logits[0][n]).ToArray();
        var softmax = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        var s9 = softmax[8] / softmax.Sum();
        Assert.True(s9 > 0.99, $"P(S9 | unsafe\\nS) = {s9}");
    }

    private static GuardPromptFormat Format(string id) => GuardPromptFormat.Find(id)!;
}
