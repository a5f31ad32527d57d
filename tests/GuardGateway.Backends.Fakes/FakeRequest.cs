using System.Text.Json;

namespace GuardGateway.Backends.Fakes;

/// <summary>A request the fake server received, and what became of it.</summary>
public sealed class FakeRequest(int number, string path, string? requestId, byte[] body)
{
    /// <summary>1-based arrival order.</summary>
    public int Number { get; } = number;

    public string Path { get; } = path;

    /// <summary>The X-Request-Id header (or gRPC x-request-id metadata).</summary>
    public string? RequestId { get; } = requestId;

    public byte[] Body { get; } = body;

    /// <summary>Completes when the client aborts the request (cancellation reached the server).</summary>
    public TaskCompletionSource Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JsonDocument Json() => JsonDocument.Parse(Body);
}
