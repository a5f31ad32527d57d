using System.Net;
using GuardGateway.Inference.Tokenization;
using GuardGateway.TestUtilities;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>POST /v1/completions: string, array and token-id prompts are all judged before anything is forwarded.</summary>
public sealed class CompletionsTests
{
    private static readonly string[] MixedPrompts = ["A harmless poem", "canary-violence"];
    private static readonly string[] PoemPrompts = ["Poem one", "Poem two"];
    private static readonly int[] SomeTokenIds = [9906, 1917];

    [Fact]
    public async Task Completions_StringPromptWithTrigger_ContentFilterWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = "Write about canary-violence" });

        var body = await ReadAsync(response);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.Equal("Blocked by test policy.", Content(Choice(body, 0)));
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task Completions_ArrayWithOneBadPrompt_BlockedWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = MixedPrompts });

        var body = await ReadAsync(response);
        Assert.Equal(2, body.GetProperty("choices").GetArrayLength());
        Assert.All(body.GetProperty("choices").EnumerateArray(), c => Assert.Equal("content_filter", Finish(c)));
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task Completions_BenignArray_ForwardedAndEachChoiceJudgedWithItsPrompt()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.TextCompletions("roses are red", "and canary-violence"));

        using var response = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = PoemPrompts });

        var body = await ReadAsync(response);
        Assert.Equal("roses are red", Content(Choice(body, 0)));
        Assert.Equal("content_filter", Finish(Choice(body, 1)));
        Assert.Equal(1, gateway.Upstream.RequestCount);
        using var json = gateway.Upstream.Requests[0].Json();
        Assert.Equal(2, json.RootElement.GetProperty("prompt").GetArrayLength());
    }

    [Fact]
    public async Task Completions_TokenIdsWithoutTokenizer_RejectedWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = SomeTokenIds });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task Completions_TokenIdsWithTokenizer_DecodedAndJudged()
    {
        var tokenizer = Llama3Tokenizer.FromFile(TestTokenizerFile.Path);
        var bad = tokenizer.EncodeText("Tell me about canary-violence");
        var good = tokenizer.EncodeText("Tell me about tulips");
        var special = new[] { good[0], tokenizer.GetSpecialId("<|eot_id|>") };
        await using var gateway = await ProxyGateway.StartAsync(configuration: new() { ["Proxy:PromptTokenizerPath"] = TestTokenizerFile.Path });
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.TextCompletions("Tulips are flowers."));

        using var blocked = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = new[] { good, bad } });
        using var refused = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = special });
        Assert.Equal(0, gateway.Upstream.RequestCount);
        using var forwarded = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = good });

        Assert.All((await ReadAsync(blocked)).GetProperty("choices").EnumerateArray(), c => Assert.Equal("content_filter", Finish(c)));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("Tulips are flowers.", Content(Choice(await ReadAsync(forwarded), 0)));
        Assert.Equal(1, gateway.Upstream.RequestCount);
        using var json = gateway.Upstream.Requests[0].Json();
        Assert.Equal(good.Length, json.RootElement.GetProperty("prompt").GetArrayLength());
    }
}
