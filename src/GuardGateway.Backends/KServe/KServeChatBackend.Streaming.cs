using System.Runtime.CompilerServices;
using System.Text;
using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;
using GuardGateway.Backends.Logging;
using GuardGateway.Backends.Resilience;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.KServe;

/// <summary>
/// Streaming through <c>ModelStreamInfer</c>: the attempt writes the request and waits for the first response message
/// (the last point a retry is safe); the reader then turns each response's text into a delta chunk.
/// </summary>
internal sealed partial class KServeChatBackend
{
    public async Task<Result<ChatStreamSession>> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var built = BuildRequest(request, stream: true);
        if (!built.IsSuccess)
        {
            return built.Error;
        }

        var slot = new LeaseSlot();
        var call = new StreamCall(this, request, built.Value, cancellationToken);
        var opened = await _runner.RunAsync(static (c, ct) => c.Backend.AttemptOpenStreamAsync(c, ct), call, slot, cancellationToken);
        if (!opened.IsSuccess)
        {
            slot.Dispose();
            BackendLog.CallFailed(_logger, Name, opened.Error.Code);
            return opened.Error;
        }

        var resources = opened.Value;
        resources.AttachLease(slot);
        return new ChatStreamSession(
            ReadEventsAsync(resources.Resources!, resources.HasFirst, request, cancellationToken),
            () =>
            {
                resources.Resources!.Dispose();
                return ValueTask.CompletedTask;
            });
    }

    private async ValueTask<AttemptOutcome<OpenedStream>> AttemptOpenStreamAsync(StreamCall call, CancellationToken attemptToken)
    {
        // The call gets a token of its own, linked to the caller: the attempt's token (timeouts) is bridged only
        // until the first message arrives, because the pipeline recycles it once the attempt returns.
        var callCancellation = CancellationTokenSource.CreateLinkedTokenSource(call.CallerToken);
        var bridge = attemptToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), callCancellation);
        AsyncDuplexStreamingCall<ModelInferRequest, ModelStreamInferResponse>? grpcCall = null;
        var keep = false;
        try
        {
            grpcCall = _client.ModelStreamInfer(Headers(call.Request), cancellationToken: callCancellation.Token);
            await grpcCall.RequestStream.WriteAsync(call.Message, callCancellation.Token);
            await grpcCall.RequestStream.CompleteAsync();
            await grpcCall.ResponseHeadersAsync;

            // Wait for the first response message inside the attempt: a trailers-only UNAVAILABLE surfaces here, and
            // until a message has arrived nothing was streamed, so a retry is still safe.
            var hasFirst = await grpcCall.ResponseStream.MoveNext(callCancellation.Token);
            await bridge.DisposeAsync();
            keep = true;
            return AttemptOutcome<OpenedStream>.Success(new OpenedStream(grpcCall, callCancellation, hasFirst));
        }
        catch (RpcException e)
        {
            return AttemptOutcome<OpenedStream>.Failed(Classify(e, beforeFirstByte: true));
        }
        catch (InvalidOperationException) when (grpcCall is not null && TryGetStatus(grpcCall) is { } status)
        {
            // The server ended the call (e.g. a fast trailers-only UNAVAILABLE) before the request was written.
            return AttemptOutcome<OpenedStream>.Failed(Classify(new RpcException(status), beforeFirstByte: true));
        }
        finally
        {
            if (!keep)
            {
                await bridge.DisposeAsync();
                callCancellation.Cancel();
                grpcCall?.Dispose();
                callCancellation.Dispose();
            }
        }
    }

    private static Status? TryGetStatus(AsyncDuplexStreamingCall<ModelInferRequest, ModelStreamInferResponse> call)
    {
        try
        {
            return call.GetStatus();
        }
        catch (InvalidOperationException)
        {
            // Not finished: the exception was something else, so it is not ours to classify.
            return null;
        }
    }

    private async IAsyncEnumerable<ChatStreamEvent> ReadEventsAsync(
        KServeStreamResources resources,
        bool hasFirst,
        ChatCompletionRequest request,
        CancellationToken callerToken,
        [EnumeratorCancellation] CancellationToken enumeratorToken = default)
    {
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var lifetime = new CancellationTokenSource(_options.StreamMaxDuration, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, enumeratorToken, resources.CallToken, idle.Token, lifetime.Token);
        var state = new StreamState(request, ResponseId("", request), _time.GetUtcNow().ToUnixTimeSeconds());
        var first = true;
        try
        {
            while (true)
            {
                idle.CancelAfter(_options.StreamIdleTimeout);
                var (hasNext, readError) = first ? (hasFirst, null) : await MoveNextAsync(resources, linked.Token, callerToken, enumeratorToken);
                first = false;
                if (readError is not null)
                {
                    yield return Fail(readError, state.Responses);
                    yield break;
                }

                var final = !hasNext;
                if (hasNext)
                {
                    var step = Step(resources.Call.ResponseStream.Current, state);
                    if (step.Failure is not null)
                    {
                        yield return Fail(step.Failure, state.Responses);
                        yield break;
                    }

                    if (step.Chunk is not null)
                    {
                        yield return new ChatStreamChunkEvent(step.Chunk);
                    }

                    final = step.Final;
                }

                if (final)
                {
                    // The stream ended with status OK or the server flagged its final response.
                    var finish = Finish(state);
                    if (finish.Failure is not null)
                    {
                        yield return Fail(finish.Failure, state.Responses);
                        yield break;
                    }

                    yield return new ChatStreamChunkEvent(finish.Chunk!);
                    yield return ChatStreamCompleted.Instance;
                    yield break;
                }
            }
        }
        finally
        {
            resources.Dispose();
        }
    }

    private async ValueTask<(bool HasNext, GuardError? Error)> MoveNextAsync(
        KServeStreamResources resources, CancellationToken token, CancellationToken callerToken, CancellationToken enumeratorToken)
    {
        try
        {
            return (await resources.Call.ResponseStream.MoveNext(token), null);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested || enumeratorToken.IsCancellationRequested || resources.CallToken.IsCancellationRequested)
        {
            return (false, new GuardError(GuardErrorCode.Cancelled, "The stream was cancelled."));
        }
        catch (OperationCanceledException)
        {
            return (false, new GuardError(GuardErrorCode.BackendTimeout, $"Backend '{Name}' went silent or exceeded the stream duration limit."));
        }
        catch (RpcException e)
        {
            return (false, Classify(e, beforeFirstByte: false).Error);
        }
    }

    /// <summary>One response: its text as a delta chunk, whether it is the last, or what is wrong with it.</summary>
    private (ChatCompletionChunk? Chunk, bool Final, GuardError? Failure) Step(ModelStreamInferResponse response, StreamState state)
    {
        state.Responses++;
        if (!string.IsNullOrEmpty(response.ErrorMessage))
        {
            // The message may quote the input; only the fact is reported.
            return (null, false, new GuardError(GuardErrorCode.BackendUnavailable, $"Backend '{Name}' reported an error mid-stream."));
        }

        var infer = response.InferResponse;
        if (infer is null)
        {
            return (null, false, Protocol("a stream response has no inference result"));
        }

        var final = infer.Parameters.TryGetValue(FinalResponseParameter, out var flag) && flag.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.BoolParam && flag.BoolParam;
        if (infer.Outputs.Count == 0)
        {
            // Triton's empty final response carries no outputs.
            return final ? (null, true, null) : (null, false, Protocol("a stream response has no outputs"));
        }

        var elements = KServeTensorCodec.ReadBytesOutput(infer, _kserve.TextOutputName, out var error);
        if (elements is null)
        {
            return (null, false, Protocol(error!));
        }

        var choices = new List<ChatChunkChoice>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            var text = state.Decode(i, elements[i].Span);
            if (text is null)
            {
                return (null, false, Protocol("the text output is not valid UTF-8"));
            }

            choices.Add(state.Choice(i, text, finishReason: null));
        }

        return (state.Chunk(choices), final, null);
    }

    private (ChatCompletionChunk? Chunk, GuardError? Failure) Finish(StreamState state)
    {
        var choices = new List<ChatChunkChoice>();
        for (var i = 0; i < Math.Max(1, state.ChoiceCount); i++)
        {
            // A code point cut off at the very end is a broken answer.
            var rest = state.Flush(i);
            if (rest is null)
            {
                return (null, Protocol("the text output ends inside a UTF-8 sequence"));
            }

            choices.Add(state.Choice(i, rest, FinishReasons.Stop));
        }

        return (state.Chunk(choices), null);
    }

    private ChatStreamFailed Fail(GuardError error, int responses)
    {
        BackendLog.StreamFailed(_logger, Name, responses, error.Code);
        return new ChatStreamFailed(error);
    }

    private sealed record StreamCall(KServeChatBackend Backend, ChatCompletionRequest Request, ModelInferRequest Message, CancellationToken CallerToken);

    /// <summary>The opened call, and later the resources holding it together with the concurrency permit.</summary>
    private sealed class OpenedStream(AsyncDuplexStreamingCall<ModelInferRequest, ModelStreamInferResponse> call, CancellationTokenSource cancellation, bool hasFirst)
    {
        public KServeStreamResources? Resources { get; private set; }

        /// <summary>Whether the first response is already in <c>ResponseStream.Current</c> (read by the attempt).</summary>
        public bool HasFirst { get; } = hasFirst;

        public void AttachLease(LeaseSlot slot) => Resources = new KServeStreamResources(call, cancellation, slot);
    }

    /// <summary>Per-stream state: one UTF-8 decoder per choice, so a code point split across responses decodes whole.</summary>
    private sealed class StreamState(ChatCompletionRequest request, string id, long created)
    {
        private readonly List<Decoder> _decoders = [];
        private readonly HashSet<int> _roleSent = [];

        public int Responses { get; set; }

        public int ChoiceCount => _decoders.Count;

        public string? Decode(int index, ReadOnlySpan<byte> bytes)
        {
            while (_decoders.Count <= index)
            {
                _decoders.Add(StrictUtf8.GetDecoder());
            }

            try
            {
                var chars = new char[StrictUtf8.GetMaxCharCount(bytes.Length)];
                var count = _decoders[index].GetChars(bytes, chars, flush: false);
                return new string(chars, 0, count);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        public string? Flush(int index)
        {
            if (index >= _decoders.Count)
            {
                return "";
            }

            try
            {
                var chars = new char[8];
                var count = _decoders[index].GetChars([], chars, flush: true);
                return new string(chars, 0, count);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        public ChatChunkChoice Choice(int index, string text, string? finishReason)
        {
            var chat = request.Endpoint == ChatEndpoint.ChatCompletions;
            var delta = chat
                ? new ChatDelta { Role = _roleSent.Add(index) ? ChatMessageRole.Assistant : null, Content = text.Length > 0 || finishReason is null ? text : null }
                : null;
            return new ChatChunkChoice { Index = index, Delta = delta, Text = chat ? null : text, FinishReason = finishReason };
        }

        public ChatCompletionChunk Chunk(List<ChatChunkChoice> choices) =>
            new() { Endpoint = request.Endpoint, Id = id, Model = request.Model, Created = created, Choices = choices };
    }
}
