using System.Text;
using System.Text.Json;
using GuardGateway.Backends.OpenAi;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Fuzzing.Targets.Targets;

/// <summary>
/// <see cref="OpenAiWireFormat"/> reading requests (both routes), unary answers and stream chunks. Declared: a
/// value, or an error with the documented code whose message does not echo input. A value must survive
/// write → read → write unchanged (the gateway forwards what it read).
/// </summary>
internal sealed class OpenAiJsonTarget : IFuzzTarget
{
    public string Name => "openai-json";

    public IReadOnlyList<byte[]> Dictionary { get; } = Tokens(
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1e400", "2147483648", "1.5",
        "\"model\":", "\"messages\":", "\"role\":", "\"content\":", "\"user\"", "\"assistant\"", "\"tool\"", "\"system\"",
        "\"prompt\":", "\"choices\":", "\"delta\":", "\"message\":", "\"text\":", "\"index\":", "\"finish_reason\":",
        "\"tool_calls\":", "\"function\":", "\"arguments\":", "\"usage\":", "\"error\":", "\"type\":", "\"n\":",
        "\"stream\":", "\"max_tokens\":", "\"temperature\":", "\"object\":", "\"id\":", "\"\\ud800\"", "\"\\udc00x\"",
        "\"\\u0000\"", "\"" + Check.Canary + "\"", "\"image_url\"", "\"logprobs\":");

    public void Execute(ReadOnlySpan<byte> input)
    {
        var selector = FuzzInput.Selector(input);
        var rest = FuzzInput.Rest(input);
        var json = rest.ToArray();
        var endpoint = (selector & 4) == 0 ? ChatEndpoint.ChatCompletions : ChatEndpoint.Completions;
        switch (selector % 4)
        {
            case 0:
            case 1:
                var request = OpenAiWireFormat.ReadRequest(json, endpoint, out var stream);
                Expect(request.IsSuccess, request.Error, GuardErrorCode.InvalidRequest);
                if (request.IsSuccess)
                {
                    RoundTrip(
                        w => OpenAiWireFormat.WriteRequest(w, request.Value!, stream),
                        bytes => OpenAiWireFormat.ReadRequest(bytes, endpoint, out _),
                        (w, v) => OpenAiWireFormat.WriteRequest(w, v, stream));
                }

                break;
            case 2:
                var completion = OpenAiWireFormat.ReadCompletion(json, endpoint);
                Expect(completion.IsSuccess, completion.Error, GuardErrorCode.BackendProtocolError, GuardErrorCode.BackendUnavailable);
                if (completion.IsSuccess)
                {
                    RoundTrip(
                        w => OpenAiWireFormat.WriteCompletion(w, completion.Value!),
                        bytes => OpenAiWireFormat.ReadCompletion(bytes, endpoint),
                        OpenAiWireFormat.WriteCompletion);
                }

                break;
            default:
                var chunk = OpenAiWireFormat.ReadChunk(json, endpoint);
                Expect(chunk.IsSuccess, chunk.Error, GuardErrorCode.BackendProtocolError, GuardErrorCode.BackendUnavailable);
                if (chunk.IsSuccess)
                {
                    RoundTrip(
                        w => OpenAiWireFormat.WriteChunk(w, chunk.Value!),
                        bytes => OpenAiWireFormat.ReadChunk(bytes, endpoint),
                        OpenAiWireFormat.WriteChunk);
                }

                break;
        }
    }

    private static void Expect(bool success, GuardError? error, params GuardErrorCode[] declared)
    {
        if (success)
        {
            return;
        }

        Check.That(Array.IndexOf(declared, error!.Code) >= 0, $"undeclared error code {error.Code}");
        Check.That(!string.IsNullOrEmpty(error.Message), "an error without a message");
        // A backend error object's short identifier-like type/code is kept by design (OpenAiWireFormat.ErrorKind):
        // it names the kind of failure. Everything else in the message must not come from the input.
        var message = error.Code == GuardErrorCode.BackendUnavailable && error.Message.IndexOf('(', StringComparison.Ordinal) is var open and >= 0
            ? error.Message[..open]
            : error.Message;
        Check.NoEcho(message, "openai-json");
    }

    /// <summary>What was read is written; that must read back and write the same bytes (a fixed point).</summary>
    private static void RoundTrip<T>(Action<Utf8JsonWriter> write, Func<byte[], Result<T>> read, Action<Utf8JsonWriter, T> writeAgain)
    {
        var first = Write(write);
        var reread = read(first);
        Check.That(reread.IsSuccess, "a value the reader accepted was written as JSON the reader refuses: " + reread.Error);
        var second = Write(w => writeAgain(w, reread.Value!));
        Check.That(first.AsSpan().SequenceEqual(second), "write(read(write(x))) differs from write(x)");
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    internal static IReadOnlyList<byte[]> Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}
