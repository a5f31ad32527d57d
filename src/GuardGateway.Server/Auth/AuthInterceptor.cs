using GuardGateway.Contracts.V1;
using GuardGateway.Server.Errors;
using GuardGateway.Server.Logging;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.Auth;

/// <summary>
/// Authenticates and authorizes every GuardGateway call from <c>authorization: Bearer &lt;key&gt;</c>.
/// Admin (Policies) calls need an admin key; moderation calls need a client or admin key when client keys
/// are configured. Server reflection (the API's shape, no data) is treated like moderation: open while the
/// server runs without client keys (local development), and needing any known key once client keys are set,
/// so a production gateway does not describe itself to anonymous callers. Health stays open (probes carry no keys).
/// </summary>
internal sealed class AuthInterceptor(ApiKeyRing keys, ILogger<AuthInterceptor> logger) : Interceptor
{
    private static readonly string AdminPrefix = "/" + PoliciesApi.Descriptor.FullName + "/";
    private static readonly string ModerationPrefix = "/" + Moderation.Descriptor.FullName + "/";
    private static readonly string ChatPrefix = "/" + Chat.Descriptor.FullName + "/";

    // Both grpc.reflection.v1 and v1alpha.
    private const string ReflectionPrefix = "/grpc.reflection.";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var method = context.Method;
        var isAdmin = method.StartsWith(AdminPrefix, StringComparison.Ordinal);
        // Chat calls are client calls, authenticated like moderation; so is reflection once client keys exist.
        var isModeration = method.StartsWith(ModerationPrefix, StringComparison.Ordinal)
            || method.StartsWith(ChatPrefix, StringComparison.Ordinal)
            || method.StartsWith(ReflectionPrefix, StringComparison.Ordinal);
        if (!isAdmin && !isModeration)
        {
            return;
        }

        if (isAdmin && !keys.AdminEnabled)
        {
            ServerLog.CallRefused(logger, method, "admin-disabled");
            throw GrpcErrors.Create(StatusCode.PermissionDenied, ErrorReasons.AdminDisabled, "The admin API is disabled: the server has no Auth:AdminKeys configured.");
        }

        var presented = ReadBearer(context.RequestHeaders);
        if (presented is null)
        {
            if (isModeration && !keys.ClientAuthEnabled)
            {
                return;
            }

            ServerLog.CallRefused(logger, method, "missing-key");
            throw GrpcErrors.Create(StatusCode.Unauthenticated, ErrorReasons.MissingApiKey, "Missing API key: send 'authorization: Bearer <key>'.");
        }

        var caller = keys.Identify(presented);
        if (caller.Role == CallerRole.Anonymous)
        {
            if (isModeration && !keys.ClientAuthEnabled)
            {
                // Client auth is off: an unknown key is not an error, it just binds nothing.
                return;
            }

            ServerLog.CallRefused(logger, method, "unknown-key");
            throw GrpcErrors.Create(StatusCode.Unauthenticated, ErrorReasons.InvalidApiKey, "The API key is not valid.");
        }

        if (isAdmin && caller.Role is not (CallerRole.Admin or CallerRole.PolicyOwner))
        {
            ServerLog.CallForbidden(logger, method, caller.KeyId!);
            throw GrpcErrors.Create(StatusCode.PermissionDenied, ErrorReasons.AdminKeyRequired, "This call needs an admin key.");
        }

        CallerAccessor.Set(context, caller);
    }

    private static string? ReadBearer(Metadata headers)
    {
        var value = headers.GetValue("authorization");
        const string scheme = "Bearer ";
        if (value is null || value.Length <= scheme.Length || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = value[scheme.Length..].Trim();
        return key.Length == 0 ? null : key;
    }
}
