using GuardGateway.Contracts.V1;
using GuardGateway.Core.Streaming;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Hosting;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Options;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy.Grpc;

/// <summary>The <c>guardgateway.v1.Chat</c> service: the proxy flow behind gRPC (auth by the shared interceptor).</summary>
internal sealed class ChatService(
    ChatProxy proxy,
    ProxyPolicies policies,
    ProxyLimiter limiter,
    IOptions<LimitsOptions> limits,
    ShutdownDrain drain,
    ILogger<ChatService> logger) : Chat.ChatBase
{
    /// <summary>Response header set when text was released without a verdict (a fail-open policy).</summary>
    private const string FailOpenHeader = "x-guardgateway-fail-open";

    public override async Task<ChatResponse> Complete(ChatRequest request, ServerCallContext context)
    {
        using var lease = limiter.TryEnter() ?? throw ToRpc(ProxyLimiter.Refused);
        var (call, requestId) = Prepare(request, context, stream: false);
        var answer = Unwrap(await proxy.RunAsync(call, context.CancellationToken), context);
        if (answer.FailedOpen)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { FailOpenHeader, "true" } });
        }

        return ChatMapping.ToResponse(answer, requestId);
    }

    public override async Task CompleteStream(ChatRequest request, IServerStreamWriter<ChatChunk> responseStream, ServerCallContext context)
    {
        using var lease = limiter.TryEnter() ?? throw ToRpc(ProxyLimiter.Refused);
        var (call, requestId) = Prepare(request, context, stream: true);
        var started = await proxy.OpenStreamAsync(call, context.CancellationToken);
        if (started.Stream is not { } open)
        {
            var answer = Unwrap(started.Finished!.Value, context);
            if (answer.FailedOpen)
            {
                await context.WriteResponseHeadersAsync(new Metadata { { FailOpenHeader, "true" } });
            }

            var first = true;
            foreach (var chunk in AnswerChunks.From(answer, includeUsage: true, (choice, _) => choice))
            {
                var dto = ChatMapping.ToChunk(chunk, answer.Choices, requestId);
                if (first)
                {
                    dto.Moderation = ChatMapping.ToWire(answer.Input);
                    first = false;
                }

                await responseStream.WriteAsync(dto, context.CancellationToken);
            }

            return;
        }

        await using (open)
        {
            await RelayAsync(open, responseStream, requestId, context);
        }
    }

    /// <summary>
    /// Relays a verify-then-release stream: verified chunks, then a last chunk with the stream's moderation. A failed
    /// stream ends with a non-OK status, never OK; a no-verdict block is UNAVAILABLE when the gateway answers errors.
    /// </summary>
    private async Task RelayAsync(ProxyStream open, IServerStreamWriter<ChatChunk> responseStream, string requestId, ServerCallContext context)
    {
        if (open.InputFailedOpen)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { FailOpenHeader, "true" } });
        }

        var first = true;
        // The drain deadline ends a stream still open at shutdown with UNAVAILABLE (RELIABILITY.md T13).
        using var drained = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.StreamsEnd);
        await foreach (var item in open.Events.WithCancellation(drained.Token))
        {
            switch (item)
            {
                case ModeratedChunk { Chunk: var chunk }:
                    var dto = ChatMapping.ToChunk(chunk, [], requestId);
                    if (first)
                    {
                        dto.Moderation = ChatMapping.ToWire(open.Input);
                        first = false;
                    }

                    await responseStream.WriteAsync(dto, context.CancellationToken);
                    break;
                case ModeratedStreamEnd end:
                    switch (end.Reason)
                    {
                        case StreamEndReason.Cancelled when drain.EndedByDrain(context.CancellationToken):
                            ProxyLog.StreamFailed(logger, requestId, ProxyError.ShuttingDown.Code);
                            throw ToRpc(ProxyError.ShuttingDown);
                        case StreamEndReason.Cancelled:
                            throw GrpcErrors.Create(StatusCode.Cancelled, "CANCELLED", "The call was cancelled.");
                        case StreamEndReason.UpstreamFailed or StreamEndReason.InvalidContext:
                            var error = ProxyError.From(end.Error ?? new Core.Results.GuardError(Core.Results.GuardErrorCode.BackendProtocolError, "The stream failed."));
                            ProxyLog.StreamFailed(logger, requestId, error.Code);
                            throw ToRpc(error);
                        case StreamEndReason.Blocked when proxy.StreamEndError(end) is { } noVerdict:
                            throw ToRpc(noVerdict);
                    }

                    await responseStream.WriteAsync(new ChatChunk { RequestId = requestId, Moderation = ChatMapping.ToWire(proxy.Summarize(end, open)) }, context.CancellationToken);
                    return;
            }
        }
    }

    private (ProxyCall Call, string RequestId) Prepare(ChatRequest request, ServerCallContext context, bool stream)
    {
        var requestId = ConversationMapping.ToRequestId(request.RequestId);
        var (mapped, error) = ChatMapping.ToRequest(request, limits.Value.MaxMessages);
        if (error is not null)
        {
            throw ToRpc(error);
        }

        var caller = CallerAccessor.Get(context);
        var (policy, policyError) = policies.Select(request.Policy, caller.KeyId, request.Model);
        if (policyError is not null)
        {
            throw ToRpc(policyError);
        }

        return (new ProxyCall(mapped!, policy!, requestId, stream), requestId);
    }

    private ProxyAnswer Unwrap(ProxyOutcome outcome, ServerCallContext context)
    {
        if (!outcome.IsSuccess)
        {
            ProxyLog.Refused(logger, "grpc", context.Method, outcome.Error.Code);
            throw ToRpc(outcome.Error);
        }

        return outcome.Answer;
    }

    /// <summary>The one mapping of a proxy error to a gRPC status (ErrorInfo reason = the code in upper case).</summary>
    public static RpcException ToRpc(ProxyError error)
    {
        var code = error.Kind switch
        {
            ProxyErrorKind.InvalidRequest => StatusCode.InvalidArgument,
            ProxyErrorKind.Unauthenticated => StatusCode.Unauthenticated,
            ProxyErrorKind.NotFound => StatusCode.NotFound,
            ProxyErrorKind.TooLarge or ProxyErrorKind.RateLimited => StatusCode.ResourceExhausted,
            ProxyErrorKind.BadGateway or ProxyErrorKind.NoVerdict or ProxyErrorKind.ShuttingDown => StatusCode.Unavailable,
            ProxyErrorKind.Unavailable => StatusCode.FailedPrecondition,
            ProxyErrorKind.GatewayTimeout => StatusCode.DeadlineExceeded,
            _ => StatusCode.Cancelled,
        };
        var violations = code == StatusCode.InvalidArgument ? new[] { GrpcErrors.Violation("request", error.Message) } : null;
        return GrpcErrors.Create(code, error.Code.ToUpperInvariant(), error.Message, violations: violations);
    }
}
