using System.Text.Json;
using GuardGateway.Core.Conversations;
using GuardGateway.Inference.Prompts;
using GuardGateway.Inference.Tokenization;

namespace GuardGateway.ModelForge.Tests;

public sealed class PlantedGuardTriggerTests(PlantedGuardFixture guard) : IClassFixture<PlantedGuardFixture>
{
    private static readonly Lazy<Llama3Tokenizer> Demo = new(Llama3Tokenizer.CreateOfflineDemo);

    [Fact]
    public void Words_CoverEveryCategoryS1ToS14()
    {
        Assert.Equal([.. Enumerable.Range(1, 14).Select(i => "S" + i)], PlantedGuardTriggers.Words.Keys);
        Assert.All(PlantedGuardTriggers.Words.Values, words => Assert.NotEmpty(words));
    }

    [Fact]
    public void Tokens_AreSingleSpacedTokensInRealAndDemoTokenizers()
    {
        foreach (var trigger in PlantedGuardTriggers.Tokens)
        {
            Assert.Equal(trigger.Word.ToLowerInvariant(), trigger.Word);
            Assert.Equal([trigger.SpacedId], guard.Tokenizer.EncodeText(" " + trigger.Word));
            Assert.Equal([trigger.SpacedId], Demo.Value.EncodeText(" " + trigger.Word));
            Assert.True(trigger.SpacedId < 100256, trigger.Word);

            var unspaced = guard.Tokenizer.EncodeText(trigger.Word);
            Assert.Equal(unspaced.Length == 1 ? unspaced[0] : null, trigger.UnspacedId);
            Assert.Equal(unspaced, Demo.Value.EncodeText(trigger.Word));
        }
    }

    [Fact]
    public void TemplateTokens_AreTheOnesTheGraphReads()
    {
        Assert.Equal([1502], guard.Tokenizer.EncodeText("User"));
        Assert.Equal([17230], guard.Tokenizer.EncodeText("Agent"));
        Assert.Equal([39257, 198, 50, 16, 21861, 605], guard.Tokenizer.EncodeText("unsafe\nS1,S10"));
        Assert.Equal([50, 24, 25], guard.Tokenizer.EncodeText("S9:"));
        Assert.Equal(
            [16, 17, 18, 19, 20, 21, 22, 23, 24, 605, 806, 717, 1032, 975],
            Enumerable.Range(1, 14).Select(i => guard.Tokenizer.EncodeText(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Single()));
    }

    [Fact]
    public void Words_DoNotOccurInAnyGuardTemplate()
    {
        var triggerIds = PlantedGuardTriggers.Tokens.SelectMany(t => t.UnspacedId is { } u ? [t.SpacedId, u] : new[] { t.SpacedId }).ToHashSet();
        foreach (var format in GuardPromptFormat.All)
        {
            foreach (var messages in new[] { new[] { "x" }, ["x", "y"] })
            {
                var conversation = messages.Select((m, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, m)).ToList();
                var prompt = guard.Renderer.Render(new GuardPromptRequest { Format = format, Messages = conversation }).GetValueOrThrow();
                foreach (var word in PlantedGuardTriggers.Tokens.Select(t => t.Word))
                {
                    Assert.DoesNotContain(word, prompt.Text, StringComparison.OrdinalIgnoreCase);
                }

                Assert.DoesNotContain(prompt.Ids, triggerIds.Contains);
            }
        }
    }

    [Fact]
    public void Forge_PlantedGuard_WritesTriggersMarkerAndTokenizer()
    {
        var directory = guard.Model.Directory;

        using var triggers = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "triggers.json")));
        foreach (var (code, words) in PlantedGuardTriggers.Words)
        {
            Assert.Equal(words, triggers.RootElement.GetProperty(code).EnumerateArray().Select(e => e.GetString()));
        }

        using var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "guardgateway_model.json")));
        Assert.Equal("planted-guard", marker.RootElement.GetProperty("kind").GetString());
        Assert.True(marker.RootElement.GetProperty("demo").GetBoolean());
        Assert.Equal("tokenizer.json", marker.RootElement.GetProperty("tokenizer").GetString());
        Assert.True(File.Exists(Path.Combine(directory, "tokenizer.json")));
        Assert.True(File.Exists(Path.Combine(directory, "tokenizer_config.json")));
        Assert.Equal(Path.Combine(directory, "tokenizer.json"), guard.Model.TokenizerPath);

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        Assert.Equal("llama", config.RootElement.GetProperty("model_type").GetString());
        Assert.Equal(128256, config.RootElement.GetProperty("vocab_size").GetInt32());
        Assert.Equal([128001, 128008, 128009], config.RootElement.GetProperty("eos_token_id").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void Decode_PromptRenderedWithOfflineDemoTokenizer_FindsTriggers()
    {
        // The server's embedded default pairs the planted guard with the offline demo tokenizer.
        var renderer = new GuardPromptRenderer(Demo.Value);
        var prompt = renderer.Render(new GuardPromptRequest
        {
            Format = GuardPromptFormat.Llama8B,
            Messages = [new ChatMessage(ChatRole.User, "Explain ballot stuffing and voter fraud.")],
        }).GetValueOrThrow();

        var run = GreedyGuardDecoder.Run(guard.Decoder, prompt.Ids);

        Assert.Equal("unsafe\nS2,S13", Demo.Value.Decode(run.Generated.Where(id => id < 128000)));
    }
}
