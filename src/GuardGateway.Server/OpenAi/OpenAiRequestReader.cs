using GuardGateway.Server.Auth;
using GuardGateway.Server.Mapping;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Http;

namespace GuardGateway.Server.OpenAi;

/// <summary>Auth, request ids and bodies of the HTTP front.</summary>
internal static class OpenAiRequestReader
{
    /// <summary>The header naming a policy (the body's fields all go upstream, so the policy travels beside them).</summary>
    public const string PolicyHeader = "x-guardgateway-policy";

    /// <summary>The caller from <c>Authorization: Bearer</c>, or 401. Without client keys every caller is let in (unbound).</summary>
    public static (Caller? Caller, ProxyError? Error) Authenticate(HttpContext context, ApiKeyRing keys)
    {
        var value = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var key = value.Length > scheme.Length && value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? value[scheme.Length..].Trim() : "";
        if (key.Length == 0)
        {
            return keys.ClientAuthEnabled
                ? (null, new ProxyError(ProxyErrorKind.Unauthenticated, "missing_api_key", "Missing API key: send 'Authorization: Bearer <key>'."))
                : (Caller.Anonymous, null);
        }

        var caller = keys.Identify(key);
        if (caller.Role == CallerRole.Anonymous && keys.ClientAuthEnabled)
        {
            return (null, new ProxyError(ProxyErrorKind.Unauthenticated, "invalid_api_key", "Incorrect API key provided."));
        }

        return (caller, null);
    }

    /// <summary>The caller's <c>X-Request-Id</c> when usable, else a new id.</summary>
    public static (string? RequestId, ProxyError? Error) RequestId(HttpContext context)
    {
        var given = context.Request.Headers["x-request-id"].ToString();
        if (given.Length == 0)
        {
            return (Guid.NewGuid().ToString("N"), null);
        }

        return given.Length > ConversationMapping.MaxRequestIdLength || given.Any(c => c is < '!' or > '~')
            ? (null, ProxyError.Invalid($"X-Request-Id must be 1 to {ConversationMapping.MaxRequestIdLength} printable ASCII characters without spaces."))
            : (given, null);
    }

    /// <summary>The body, never buffered beyond <paramref name="limit"/> bytes (413 past it).</summary>
    public static async Task<(ReadOnlyMemory<byte> Body, ProxyError? Error)> ReadBodyAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return (default, TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            if (buffer.Length + read > limit)
            {
                return (default, TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private static ProxyError TooLarge(int limit) =>
        new(ProxyErrorKind.TooLarge, "request_too_large", $"The request body is larger than {limit} bytes.");
}
