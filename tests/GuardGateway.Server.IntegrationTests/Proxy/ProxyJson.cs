using System.Text.Json;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>Reading gateway answers in tests.</summary>
internal static class ProxyJson
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static JsonElement Choice(JsonElement completion, int index) => completion.GetProperty("choices")[index];

    public static string? Content(JsonElement choice) =>
        choice.TryGetProperty("message", out var message) ? message.GetProperty("content").GetString() : choice.GetProperty("text").GetString();

    public static string Finish(JsonElement choice) => choice.GetProperty("finish_reason").GetString()!;

    public static string Decision(JsonElement withModeration) => withModeration.GetProperty("moderation").GetProperty("decision").GetString()!;

    /// <summary>The data payloads of an SSE body (including <c>[DONE]</c>).</summary>
    public static List<string> SseData(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e["data: ".Length..])];

    /// <summary>The concatenated content deltas of choice <paramref name="index"/> of an SSE chat stream.</summary>
    public static string StreamedContent(IEnumerable<string> data, int index = 0)
    {
        var text = new System.Text.StringBuilder();
        foreach (var payload in data.Where(d => d != "[DONE]"))
        {
            using var document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("choices", out var choices))
            {
                continue;
            }

            foreach (var choice in choices.EnumerateArray().Where(c => c.GetProperty("index").GetInt32() == index))
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The finish reasons seen in an SSE chat stream.</summary>
    public static List<string> StreamedFinishReasons(IEnumerable<string> data) =>
        [.. data.Where(d => d != "[DONE]").SelectMany(d =>
        {
            using var document = JsonDocument.Parse(d);
            return document.RootElement.TryGetProperty("choices", out var choices)
                ? choices.EnumerateArray().Where(c => c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String).Select(c => c.GetProperty("finish_reason").GetString()!).ToList()
                : [];
        })];
}
