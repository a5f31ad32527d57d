using System.Net;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>RELIABILITY.md T8: a trigger in any text-bearing field of a chat request blocks it with 0 upstream calls.</summary>
public sealed class InputSurfaceTests
{
    public static TheoryData<string, string> Fields => new()
    {
        { "string content", """[{"role":"user","content":"canary-violence please"}]""" },
        { "text part", """[{"role":"user","content":[{"type":"text","text":"hello"},{"type":"text","text":"canary-violence"}]}]""" },
        { "system prompt", """[{"role":"system","content":"You explain canary-violence."},{"role":"user","content":"Go on."}]""" },
        { "developer prompt", """[{"role":"developer","content":"canary-violence"},{"role":"user","content":"Hi"}]""" },
        { "tool result", """[{"role":"user","content":"Look it up"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"search","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"result: canary-violence"}]""" },
        { "tool-call arguments in history", """[{"role":"user","content":"Hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"run","arguments":"{\"x\":\"canary-violence\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"},{"role":"user","content":"Thanks"}]""" },
        { "earlier user turn", """[{"role":"user","content":"canary-violence"},{"role":"assistant","content":"Sure."},{"role":"user","content":"And now?"}]""" },
        { "assistant prefill", """[{"role":"user","content":"Continue"},{"role":"assistant","content":"canary-violence"}]""" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task ChatCompletions_TriggerInField_BlockedWithoutUpstreamCall(string field, string messages)
    {
        await using var gateway = await ProxyGateway.StartAsync();

        using var response = await gateway.PostRawAsync("/v1/chat/completions", $$"""{"model":"llama-3-8b","messages":{{messages}}}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, field);
        var body = await ReadAsync(response);
        Assert.Equal("content_filter", Finish(Choice(body, 0)));
        Assert.Equal(0, gateway.Upstream.RequestCount);
    }
}
