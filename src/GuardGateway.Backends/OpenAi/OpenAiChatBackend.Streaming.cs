using System.Buffers;
using System.Runtime.CompilerServices;
using GuardGateway.Backends.Logging;
using GuardGateway.Backends.Resilience;
using GuardGateway.Backends.Sse;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.OpenAi;

/// <summary>Streaming: open through the pipeline, then read SSE until <c>[DONE]</c> with idle and duration limits.</summary>
internal sealed partial class OpenAiChatBackend
{
    private const int ReadBufferSize = 16 * 1024;

    public async Task<Result<ChatStreamSession>> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var call = new Call(this, request, Serialize(request, stream: true));
        var slot = new LeaseSlot();
        var opened = await _runner.RunAsync(static (c, ct) => c.Backend.AttemptOpenStreamAsync(c, ct), call, slot, cancellationToken);
        if (!opened.IsSuccess)
        {
            slot.Dispose();
            BackendLog.CallFailed(_logger, Name, opened.Error.Code);
            return opened.Error;
        }

        var resources = new StreamResources(opened.Value, slot);
        return new ChatStreamSession(
            ReadEventsAsync(resources, request.Endpoint, cancellationToken),
            () =>
            {
                resources.Dispose();
                return ValueTask.CompletedTask;
            });
    }

    private async IAsyncEnumerable<ChatStreamEvent> ReadEventsAsync(
        StreamResources resources,
        ChatEndpoint endpoint,
        CancellationToken callerToken,
        [EnumeratorCancellation] CancellationToken enumeratorToken = default)
    {
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var lifetime = new CancellationTokenSource(_options.StreamMaxDuration, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, enumeratorToken, resources.DisposedToken, idle.Token, lifetime.Token);
        var parser = new SseParser(_options.MaxSseLineBytes, _options.MaxSseEventBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var pending = new List<SseEvent>();
        var tracker = new FinishTracker();
        try
        {
            Stream? body = null;
            while (true)
            {
                idle.CancelAfter(_options.StreamIdleTimeout);
                var (read, readError) = await ReadAsync(resources, body, buffer, linked.Token, callerToken, enumeratorToken);
                body = read.Body;
                if (readError is not null)
                {
                    yield return Fail(readError, tracker.Chunks);
                    yield break;
                }

                if (read.Count == 0)
                {
                    yield return parser.HasPendingInput
                        ? Fail(Error(GuardErrorCode.BackendProtocolError, "ended the stream in the middle of an event"), tracker.Chunks)
                        : tracker.AllChoicesFinished
                            ? ChatStreamCompleted.Instance
                            : Fail(Error(GuardErrorCode.BackendProtocolError, "ended the stream before [DONE]"), tracker.Chunks);
                    yield break;
                }

                var parseError = parser.Feed(buffer.AsSpan(0, read.Count), pending);
                foreach (var sse in pending)
                {
                    var mapped = Map(sse, endpoint, tracker);
                    if (mapped is ChatStreamFailed failed)
                    {
                        yield return Fail(failed.Error, tracker.Chunks);
                        yield break;
                    }

                    yield return mapped;
                    if (mapped is ChatStreamCompleted)
                    {
                        yield break;
                    }
                }

                pending.Clear();
                if (parseError is not null)
                {
                    yield return Fail(Error(GuardErrorCode.BackendProtocolError, "sent a malformed event stream: " + parseError), tracker.Chunks);
                    yield break;
                }
            }
        }
        finally
        {
            parser.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            resources.Dispose();
        }
    }

    /// <summary>One read, with every way it can fail turned into an error (iterators cannot yield inside try/catch).</summary>
    private async ValueTask<((int Count, Stream? Body) Read, GuardError? Error)> ReadAsync(
        StreamResources resources, Stream? body, byte[] buffer, CancellationToken token, CancellationToken callerToken, CancellationToken enumeratorToken)
    {
        try
        {
            body ??= await resources.Response.Content.ReadAsStreamAsync(token);
            return ((await body.ReadAsync(buffer, token), body), null);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested || enumeratorToken.IsCancellationRequested || resources.DisposedToken.IsCancellationRequested)
        {
            return ((0, body), new GuardError(GuardErrorCode.Cancelled, "The stream was cancelled."));
        }
        catch (OperationCanceledException)
        {
            return ((0, body), Error(GuardErrorCode.BackendTimeout, "went silent or exceeded the stream duration limit"));
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            return ((0, body), Error(GuardErrorCode.BackendUnavailable, "dropped the connection mid-stream"));
        }
    }

    private ChatStreamEvent Map(SseEvent sse, ChatEndpoint endpoint, FinishTracker tracker)
    {
        if (sse.IsDone)
        {
            return ChatStreamCompleted.Instance;
        }

        var chunk = OpenAiWireFormat.ReadChunk(sse.Data, endpoint);
        if (sse.EventType == "error")
        {
            // An explicit error event: whatever its data says, the answer is broken.
            return new ChatStreamFailed(chunk.IsSuccess ? Error(GuardErrorCode.BackendUnavailable, "sent an error event") : Prefix(chunk.Error));
        }

        if (!chunk.IsSuccess)
        {
            return new ChatStreamFailed(Prefix(chunk.Error));
        }

        tracker.Observe(chunk.Value);
        return new ChatStreamChunkEvent(chunk.Value);
    }

    private ChatStreamFailed Fail(GuardError error, int chunks)
    {
        BackendLog.StreamFailed(_logger, Name, chunks, error.Code);
        return new ChatStreamFailed(error);
    }

    /// <summary>
    /// Whether every choice seen has a finish reason: older llama.cpp servers end a complete stream without
    /// <c>[DONE]</c>, and that is the only clean end accepted without it.
    /// </summary>
    private sealed class FinishTracker
    {
        private readonly Dictionary<int, bool> _finished = [];

        public int Chunks { get; private set; }

        public bool AllChoicesFinished => _finished.Count > 0 && _finished.Values.All(f => f);

        public void Observe(ChatCompletionChunk chunk)
        {
            Chunks++;
            foreach (var choice in chunk.Choices)
            {
                _finished[choice.Index] = (_finished.TryGetValue(choice.Index, out var done) && done) || choice.FinishReason is not null;
            }
        }
    }
}
