using System.Text.Json;

namespace GuardGateway.Backends.Tests.Fakes;

/// <summary>OpenAI-shaped bodies the fake server sends.</summary>
internal static class Payloads
{
    public static string ChatCompletion(string content, string finish = "stop") => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion",
        created = 1700000000,
        model = "llama-3-8b",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = finish } },
        usage = new { prompt_tokens = 5, completion_tokens = 1, total_tokens = 6 },
        system_fingerprint = "fp-test",
    });

    public static string TextCompletion(string text) => JsonSerializer.Serialize(new
    {
        id = "cmpl-1",
        @object = "text_completion",
        created = 1700000000,
        model = "llama-3-8b",
        choices = new[] { new { index = 0, text, finish_reason = "length" } },
    });

    public static string ChatChunk(int index, string? content, string? finish = null, string? role = null) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-1",
        @object = "chat.completion.chunk",
        created = 1700000000,
        model = "llama-3-8b",
        choices = new[] { new { index, delta = new { role, content }, finish_reason = finish } },
    });

    public static string Error(string type, string message) => JsonSerializer.Serialize(new { error = new { message, type, code = (string?)null } });

    /// <summary>SSE text: one <c>data:</c> event per payload, then <c>data: [DONE]</c> unless told otherwise.</summary>
    public static string Sse(IEnumerable<string> payloads, bool done = true, string lineEnd = "\n") =>
        string.Concat(payloads.Select(p => "data: " + p + lineEnd + lineEnd)) + (done ? "data: [DONE]" + lineEnd + lineEnd : "");
}
