using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// Sends one streaming chat completion and reads the SSE answer as a client would: the first token is the first
/// event with non-empty <c>delta.content</c>; the stream is complete at <c>data: [DONE]</c> with the whole answer.
/// </summary>
internal sealed class StreamClient(HttpClient http, string? apiKey, string expectedAnswer)
{
    private static readonly string Body = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["model"] = PacedUpstream.Model,
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = AnswerTokens.Question } },
        ["stream"] = true,
    });

    public async Task<StreamSample> RunAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new StreamSample(0, clock.Elapsed.TotalMilliseconds, 0, false, $"HTTP {(int)response.StatusCode}");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var answer = new StringBuilder();
        double? first = null;
        string? failure = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                failure = line;
                continue;
            }

            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                var complete = failure is null && string.Equals(answer.ToString(), expectedAnswer, StringComparison.Ordinal);
                return new StreamSample(first ?? 0, clock.Elapsed.TotalMilliseconds, answer.Length, complete, complete ? null : failure ?? "answer differs");
            }

            var text = Content(data.ToString());
            if (text.Length > 0)
            {
                first ??= clock.Elapsed.TotalMilliseconds;
                answer.Append(text);
            }
        }

        return new StreamSample(first ?? 0, clock.Elapsed.TotalMilliseconds, answer.Length, false, failure ?? "no [DONE]");
    }

    private static string Content(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("choices", out var choices))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                text.Append(content.GetString());
            }
        }

        return text.ToString();
    }
}
