using GuardGateway.Contracts.V1;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Errors;
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
    ILogger<ChatService> logger) : Chat.ChatBase
{
    public override async Task<ChatResponse> Complete(ChatRequest request, ServerCallContext context)
    {
        var (answer, requestId) = await RunAsync(request, context, stream: false);
        if (answer.FailedOpen)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-guardgateway-fail-open", "true" } });
        }

        return ChatMapping.ToResponse(answer, requestId);
    }

    public override async Task CompleteStream(ChatRequest request, IServerStreamWriter<ChatChunk> responseStream, ServerCallContext context)
    {
        var (answer, requestId) = await RunAsync(request, context, stream: true);
        if (answer.FailedOpen)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-guardgateway-fail-open", "true" } });
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
    }

    private async Task<(ProxyAnswer Answer, string RequestId)> RunAsync(ChatRequest request, ServerCallContext context, bool stream)
    {
        using var lease = limiter.TryEnter() ?? throw ToRpc(ProxyLimiter.Refused);
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

        var outcome = await proxy.RunAsync(new ProxyCall(mapped!, policy!, requestId, stream), context.CancellationToken);
        if (!outcome.IsSuccess)
        {
            ProxyLog.Refused(logger, "grpc", context.Method, outcome.Error.Code);
            throw ToRpc(outcome.Error);
        }

        return (outcome.Answer, requestId);
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
            ProxyErrorKind.BadGateway or ProxyErrorKind.NoVerdict => StatusCode.Unavailable,
            ProxyErrorKind.Unavailable => StatusCode.FailedPrecondition,
            ProxyErrorKind.GatewayTimeout => StatusCode.DeadlineExceeded,
            _ => StatusCode.Cancelled,
        };
        var violations = code == StatusCode.InvalidArgument ? new[] { GrpcErrors.Violation("request", error.Message) } : null;
        return GrpcErrors.Create(code, error.Code.ToUpperInvariant(), error.Message, violations: violations);
    }
}
