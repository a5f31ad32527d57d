using System.Text.Json;
using static GuardGateway.Server.IntegrationTests.Proxy.ProxyJson;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// RELIABILITY.md T3 end to end: the trigger split at every position across two SSE deltas (content, tool-call
/// arguments, and choice 1 of n = 2) is never delivered through the HTTP front; the stream ends with content_filter.
/// </summary>
public sealed class SplitTriggerTests
{
    private const string Trigger = "canary-violence";

    [Fact]
    public async Task ChatStream_TriggerSplitAtEveryPosition_NeverDelivered()
    {
        await using var gateway = await ProxyGateway.StartAsync();
        for (var cut = 1; cut < Trigger.Length; cut++)
        {
            foreach (var shape in new[] { "content", "tool", "choice1" })
            {
                var (left, right) = ("Fine words first. Then " + Trigger[..cut], Trigger[cut..] + " and the end.");
                gateway.Upstream.Script = _ => FakeScript.SseText(Stream(shape, left, right), pieceBytes: 16);

                using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Go", stream: true, n: shape == "choice1" ? 2 : null));
                var text = await response.Content.ReadAsStringAsync();

                var data = SseData(text);
                var context = $"{shape} cut {cut}";
                Assert.False(Delivered(data, Trigger), context);
                Assert.True(StreamedFinishReasons(data).Contains("content_filter"), context);
            }
        }
    }

    [Fact]
    public async Task ChatStream_HarmlessWordSplit_DeliveredWhole()
    {
        // The control for the test above: the same shapes with a word the guard allows arrive whole and finish cleanly.
        const string word = "canary-harmless";
        await using var gateway = await ProxyGateway.StartAsync();
        foreach (var shape in new[] { "content", "tool", "choice1" })
        {
            gateway.Upstream.Script = _ => FakeScript.SseText(Stream(shape, "Fine words first. Then " + word[..5], word[5..] + " and the end."), pieceBytes: 16);

            using var response = await gateway.PostAsync("/v1/chat/completions", ProxyGateway.UserChat("Go", stream: true, n: shape == "choice1" ? 2 : null));
            var data = SseData(await response.Content.ReadAsStringAsync());

            Assert.True(Delivered(data, word), shape);
            Assert.DoesNotContain("content_filter", StreamedFinishReasons(data));
            Assert.Equal("[DONE]", data[^1]);
        }
    }

    /// <summary>Whether the word is in what a client assembles: any choice's content or tool-call arguments.</summary>
    private static bool Delivered(List<string> data, string word)
    {
        var assembled = new Dictionary<string, System.Text.StringBuilder>();
        foreach (var payload in data.Where(d => d != "[DONE]"))
        {
            using var document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("choices", out var choices))
            {
                continue;
            }

            foreach (var choice in choices.EnumerateArray())
            {
                if (!choice.TryGetProperty("delta", out var delta))
                {
                    continue;
                }

                var index = choice.GetProperty("index").GetInt32();
                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    Append(assembled, $"{index}/content", content.GetString()!);
                }

                if (delta.TryGetProperty("tool_calls", out var calls))
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        if (call.TryGetProperty("function", out var function) && function.TryGetProperty("arguments", out var arguments))
                        {
                            Append(assembled, $"{index}/tool{call.GetProperty("index").GetInt32()}", arguments.GetString() ?? "");
                        }
                    }
                }
            }
        }

        return assembled.Values.Any(b => b.ToString().Contains(word, StringComparison.Ordinal));
    }

    private static void Append(Dictionary<string, System.Text.StringBuilder> assembled, string key, string text)
    {
        if (!assembled.TryGetValue(key, out var builder))
        {
            assembled[key] = builder = new System.Text.StringBuilder();
        }

        builder.Append(text);
    }

    private static string Stream(string shape, string left, string right)
    {
        static string Chunk(object choice) => JsonSerializer.Serialize(new { id = "c", @object = "chat.completion.chunk", created = 1, model = "llama-3-8b", choices = new[] { choice } });
        static object ToolDelta(string? name, string arguments) => new
        {
            index = 0,
            delta = new { tool_calls = new[] { new { index = 0, id = name is null ? null : "call_1", type = name is null ? null : "function", function = new { name, arguments } } } },
            finish_reason = (string?)null,
        };

        return shape switch
        {
            "tool" => Payloads.Sse([Chunk(ToolDelta("send", "{\"text\":\"" + left)), Chunk(ToolDelta(null, right + "\"}")), Chunk(new { index = 0, delta = new { }, finish_reason = "tool_calls" })]),
            "choice1" => Payloads.Sse([
                Payloads.ChatChunk(0, "A calm first choice. ", role: "assistant"), Payloads.ChatChunk(1, left, role: "assistant"),
                Payloads.ChatChunk(0, "Still calm."), Payloads.ChatChunk(1, right),
                Payloads.ChatChunk(0, null, finish: "stop"), Payloads.ChatChunk(1, null, finish: "stop")]),
            _ => Payloads.ChatStream(left, right),
        };
    }
}
