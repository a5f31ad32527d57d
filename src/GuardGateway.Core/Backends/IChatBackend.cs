namespace GuardGateway.Core.Backends;

/// <summary>
/// A model server the gateway forwards moderated requests to (an OpenAI-compatible HTTP server or a KServe v2
/// gRPC server). Implementations run every call through the backend's resilience pipeline, so a dead, slow or
/// misbehaving backend yields a prompt <see cref="Results.GuardError"/>, never a hang or an exception.
/// </summary>
public interface IChatBackend
{
    /// <summary>The configured backend name (for logs, metrics and errors).</summary>
    string Name { get; }

    /// <summary>Sends a request and waits for the whole answer.</summary>
    /// <param name="request">The request, already moderated.</param>
    /// <param name="cancellationToken">Cancels the upstream call (the backend sees the cancellation).</param>
    /// <returns>The completion, or an error whose code starts with <c>Backend</c> (or <c>Cancelled</c>).</returns>
    Task<Results.Result<ChatCompletion>> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a streaming call. The result fails when the stream cannot be opened (the only phase that can be
    /// retried); once open, failures arrive as a terminal <see cref="ChatStreamFailed"/> event and a normal end
    /// as a terminal <see cref="ChatStreamCompleted"/> event. Every stream ends with exactly one terminal event.
    /// </summary>
    /// <param name="request">The request, already moderated.</param>
    /// <param name="cancellationToken">Cancels the upstream call, also while the stream is being read.</param>
    /// <returns>The open stream (dispose it to release the connection and the concurrency permit), or an error.</returns>
    Task<Results.Result<ChatStreamSession>> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken);
}
