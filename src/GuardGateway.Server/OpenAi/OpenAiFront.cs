using System.Text.Json;
using GuardGateway.Core.Backends;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Server.OpenAi;

/// <summary>The OpenAI-compatible HTTP routes. Anything else under <c>/v1/</c> (route or method) is refused with 404, never passed through.</summary>
internal static class OpenAiFront
{
    /// <summary>Maps the routes.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext context, OpenAiChatEndpoint endpoint) => endpoint.HandleAsync(context, ChatEndpoint.ChatCompletions));
        app.MapPost("/v1/completions", (HttpContext context, OpenAiChatEndpoint endpoint) => endpoint.HandleAsync(context, ChatEndpoint.Completions));
        app.MapPost("/v1/moderations", (HttpContext context, OpenAiModerationsEndpoint endpoint) => endpoint.HandleAsync(context));
        app.MapGet("/v1/models", ModelsAsync);
        app.MapFallback("/v1/{**path}", context => OpenAiErrors.WriteAsync(context, new ProxyError(
            ProxyErrorKind.NotFound, "unknown_url", "Unknown request URL or method. The gateway serves POST /v1/chat/completions, POST /v1/completions, POST /v1/moderations and GET /v1/models.")));
    }

    private static async Task ModelsAsync(HttpContext context)
    {
        var keys = context.RequestServices.GetRequiredService<ApiKeyRing>();
        var (_, authError) = OpenAiRequestReader.Authenticate(context, keys);
        if (authError is not null)
        {
            await OpenAiErrors.WriteAsync(context, authError);
            return;
        }

        var router = context.RequestServices.GetRequiredService<IChatBackendRouter>();
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var name in router.ModelNames)
        {
            writer.WriteStartObject();
            writer.WriteString("id", name);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", 0);
            writer.WriteString("owned_by", "guardgateway");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
