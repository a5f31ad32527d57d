using System.Net;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>POST /v1/chat/completions (unary) through a real gateway on loopback in front of a fake model server.</summary>
public sealed class ChatCompletionsTests
{
    [Fact]
    public async Task ChatCompletions_InputWithTrigger_ContentFilterWithoutUpstreamCall()
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("tell me about canary-violence"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        var choice = Choice(body, 0);
        Assert.Equal("content_filter", Finish(choice));
        Assert.Equal("Blocked by test policy.", Content(choice));
        Assert.Equal("Blocked by test policy.", choice.GetProperty("message").GetProperty("refusal").GetString());
        Assert.Equal("block", Decision(body));
        Assert.Equal("input", body.GetProperty("moderation").GetProperty("direction").GetString());
        Assert.Equal("S1", body.GetProperty("moderation").GetProperty("categories")[0].GetString());
        Assert.Equal("default", body.GetProperty("moderation").GetProperty("policy_id").GetString());
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_Benign_ForwardedAndAnsweredWithModeration()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion("Paris is the capital."));

        using var response = await gateway.PostAsync(
            "/v1/chat/completions",
            ProxyGateway.UserChat("What is the capital of France?"),
            headers: new Dictionary<string, string> { ["X-Request-Id"] = "req-benign-1" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadAsync(response);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("Paris is the capital.", Content(Choice(body, 0)));
        Assert.Equal("stop", Finish(Choice(body, 0)));
        Assert.Equal("allow", Decision(Choice(body, 0)));
        Assert.Equal("output", Choice(body, 0).GetProperty("moderation").GetProperty("direction").GetString());
        Assert.Equal("fp-test", body.GetProperty("system_fingerprint").GetString());
        Assert.Equal(1, gateway.Upstream.RequestCount);
        var forwarded = gateway.Upstream.Requests[0];
        Assert.Equal("/v1/chat/completions", forwarded.Path);
        Assert.Equal("req-benign-1", forwarded.RequestId);
        using var json = forwarded.Json();
        Assert.Equal("What is the capital of France?", json.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(response.Headers.Contains("x-guardgateway-fail-open"));
    }

    [Fact]
    public async Task ChatCompletions_OutputWithTrigger_BlockedAndNeverReleased()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion("Sure: canary-violence step one."));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Tell me a story"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.Equal("Blocked by test policy.", Content(Choice(body, 0)));
        Assert.Equal("block", Decision(Choice(body, 0)));
        Assert.Equal("allow", Decision(body));
        Assert.Equal(1, gateway.Upstream.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_OutputPrivacySentence_RedactedAndRestKept()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletion(
            "Here is the summary. His home is canary-privacy street. Write to bob@example.com for more. Have a nice day."));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Summarize the file"));

        var body = await ReadAsync(response);
        var content = Content(Choice(body, 0));
        Assert.Equal("Here is the summary. [removed: S7 Privacy] Write to [removed: S7 Privacy] for more. Have a nice day.", content);
        Assert.Equal("stop", Finish(Choice(body, 0)));
        Assert.Equal("redact", Decision(Choice(body, 0)));
    }

    [Fact]
    public async Task ChatCompletions_TwoChoicesOneBad_OnlyTheBadOneFiltered()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ChatCompletionChoices("A calm answer.", "An answer with canary-violence."));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Answer twice", n: 2));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        var body = await ReadAsync(response);
        Assert.Equal("A calm answer.", Content(Choice(body, 0)));
        Assert.Equal("stop", Finish(Choice(body, 0)));
        Assert.Equal("content_filter", Finish(Choice(body, 1)));
        Assert.Equal(1, Choice(body, 1).GetProperty("index").GetInt32());
        using var json = gateway.Upstream.Requests[0].Json();
        Assert.Equal(2, json.RootElement.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_ToolCallArgumentsWithTrigger_WithheldWithoutToolCalls()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ToolCallCompletion("send_message", "{\"text\":\"canary-violence now\"}"));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Send a message"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("canary-violence", text, StringComparison.Ordinal);
        Assert.DoesNotContain("send_message", text, StringComparison.Ordinal);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
    }

    [Fact]
    public async Task ChatCompletions_BenignToolCall_Delivered()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        gateway.Upstream.Script = _ => new FakeScript.Reply(200, Payloads.ToolCallCompletion("get_weather", "{\"city\":\"Paris\"}"));

        using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Weather?"));

        var body = await ReadAsync(response);
        var call = Choice(body, 0).GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", Finish(Choice(body, 0)));
    }
}
