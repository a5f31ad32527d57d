using System.Text.Json;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Http;

namespace GuardGateway.Server.OpenAi;

/// <summary>OpenAI-shaped errors: <c>{"error":{"message","type","param","code"}}</c> with the matching HTTP status.</summary>
internal static class OpenAiErrors
{
    /// <summary>The HTTP status of an error kind.</summary>
    public static int StatusOf(ProxyErrorKind kind) => kind switch
    {
        ProxyErrorKind.InvalidRequest => StatusCodes.Status400BadRequest,
        ProxyErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ProxyErrorKind.NotFound => StatusCodes.Status404NotFound,
        ProxyErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ProxyErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ProxyErrorKind.BadGateway => StatusCodes.Status502BadGateway,
        ProxyErrorKind.NoVerdict or ProxyErrorKind.Unavailable or ProxyErrorKind.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
        ProxyErrorKind.GatewayTimeout => StatusCodes.Status504GatewayTimeout,
        // Nobody is listening; 499 is what proxies log for it.
        _ => 499,
    };

    /// <summary>The OpenAI error <c>type</c> of an error kind.</summary>
    public static string TypeOf(ProxyErrorKind kind) => kind switch
    {
        ProxyErrorKind.InvalidRequest or ProxyErrorKind.NotFound or ProxyErrorKind.TooLarge => "invalid_request_error",
        ProxyErrorKind.Unauthenticated => "authentication_error",
        ProxyErrorKind.RateLimited => "rate_limit_error",
        _ => "api_error",
    };

    /// <summary>Writes the error (nothing when the caller is gone or the response has started).</summary>
    public static async Task WriteAsync(HttpContext context, ProxyError error)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        context.Response.StatusCode = StatusOf(error.Kind);
        context.Response.ContentType = "application/json";
        if (error.Kind == ProxyErrorKind.Unauthenticated)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", TypeOf(error.Kind));
        writer.WriteNull("param");
        writer.WriteString("code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(CancellationToken.None);
    }
}
