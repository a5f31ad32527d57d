using System.Net;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>RELIABILITY.md T2: no verdict on the output -> no upstream text reaches the client, and never a clean finish.</summary>
public sealed class OutputFailClosedTests
{
    private const string UpstreamText = "Upstream words that were never judged.";

    [Fact]
    public async Task ChatCompletions_OutputWithoutVerdict_RefusedAndUpstreamTextWithheld()
    {
        var guard = new OutputFaultingClassifier();
        await using var gateway = await ProxyGateway.StartAsync(model: new FakeModelSource(guard));
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion(UpstreamText));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("never judged", text, StringComparison.Ordinal);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.True(Choice(body, 0).GetProperty("moderation").GetProperty("no_verdict").GetBoolean());
        Assert.Equal(1, gateway.Upstream.RequestCount);
        Assert.True(guard.OutputCalls > 0);
    }

    [Theory]
    [InlineData("Refusal")]
    [InlineData("Error")]
    public async Task ChatStream_OutputWithoutVerdict_NoUpstreamBytesAndNoCleanFinish(string mode)
    {
        await using var gateway = await ProxyGateway.StartAsync(
            model: new FakeModelSource(new OutputFaultingClassifier()),
            configuration: new() { ["Proxy:NoVerdictResponse"] = mode });
        gateway.Upstream.Script = _ => FakeScript.SseText(Payloads.ChatStream("Upstream words ", "that were ", "never judged. ", "More of them."), pieceBytes: 6);

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Hello", stream: true));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Upstream words", text, StringComparison.Ordinal);
        Assert.DoesNotContain("never judged", text, StringComparison.Ordinal);
        if (mode == "Error")
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        else
        {
            var data = SseData(text);
            Assert.Equal(["content_filter"], StreamedFinishReasons(data));
        }
    }

    [Fact]
    public async Task CompletionsStream_SinglePromptWithTrigger_ContentFilterAndNeverReleased()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        static string Chunk(string? text, string? finish = null) => System.Text.Json.JsonSerializer.Serialize(new
        {
            id = "cmpl-s",
            @object = "text_completion",
            created = 1700000000,
            model = "llama-3-8b",
            choices = new[] { new { index = 0, text, finish_reason = finish } },
        });
        gateway.Upstream.Script = _ => FakeScript.SseText(Payloads.Sse([Chunk("A calm line. "), Chunk("then canary-vio"), Chunk("lence"), Chunk("", "stop")]), pieceBytes: 8);

        using var response = await gateway.PostAsync("/v1/completions", new { model = ProxyGateway.Model, prompt = "Write", stream = true });

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        Assert.Contains("content_filter", text, StringComparison.Ordinal);
        Assert.Contains("text_completion", text, StringComparison.Ordinal);
    }
}
