using System.Text.Json;
using GuardGateway.Backends.OpenAi;
using GuardGateway.Core.Backends;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.OpenAi;

/// <summary><c>POST /v1/chat/completions</c> and <c>POST /v1/completions</c>, unary and SSE.</summary>
internal sealed class OpenAiChatEndpoint(
    ChatProxy proxy,
    ProxyPolicies policies,
    ProxyLimiter limiter,
    ApiKeyRing keys,
    IOptions<ProxyOptions> options,
    ILogger<OpenAiChatEndpoint> logger)
{
    /// <summary>The response header set when any text was released without a verdict (a fail-open policy).</summary>
    public const string FailOpenHeader = "x-guardgateway-fail-open";

    /// <summary>Handles one request on <paramref name="endpoint"/>.</summary>
    public async Task HandleAsync(HttpContext context, ChatEndpoint endpoint)
    {
        var route = endpoint == ChatEndpoint.ChatCompletions ? "/v1/chat/completions" : "/v1/completions";
        var (caller, authError) = OpenAiRequestReader.Authenticate(context, keys);
        if (authError is not null)
        {
            ProxyLog.Refused(logger, "http", route, authError.Code);
            await OpenAiErrors.WriteAsync(context, authError);
            return;
        }

        using var lease = limiter.TryEnter();
        if (lease is null)
        {
            await OpenAiErrors.WriteAsync(context, ProxyLimiter.Refused);
            return;
        }

        var (requestId, idError) = OpenAiRequestReader.RequestId(context);
        var (body, bodyError) = idError is null ? await OpenAiRequestReader.ReadBodyAsync(context, options.Value.MaxRequestBytes) : (default, null);
        if ((idError ?? bodyError) is { } early)
        {
            await OpenAiErrors.WriteAsync(context, early);
            return;
        }

        var parsed = OpenAiWireFormat.ReadRequest(body, endpoint, out var stream);
        if (!parsed.IsSuccess)
        {
            await OpenAiErrors.WriteAsync(context, ProxyError.From(parsed.Error));
            return;
        }

        var (policy, policyError) = policies.Select(context.Request.Headers[OpenAiRequestReader.PolicyHeader].ToString(), caller!.KeyId, parsed.Value.Model);
        if (policyError is not null)
        {
            await OpenAiErrors.WriteAsync(context, policyError);
            return;
        }

        var outcome = await proxy.RunAsync(new ProxyCall(parsed.Value, policy!, requestId!, stream), context.RequestAborted);
        if (!outcome.IsSuccess)
        {
            await OpenAiErrors.WriteAsync(context, outcome.Error);
            return;
        }

        var answer = outcome.Answer;
        context.Response.Headers["x-request-id"] = requestId;
        if (answer.FailedOpen)
        {
            ProxyLog.FailedOpen(logger, requestId!, policy!.Id);
            context.Response.Headers[FailOpenHeader] = "true";
        }

        if (stream)
        {
            await WriteStreamAsync(context, answer, parsed.Value.IncludeStreamUsage);
        }
        else
        {
            await WriteUnaryAsync(context, answer);
        }
    }

    private static async Task WriteUnaryAsync(HttpContext context, ProxyAnswer answer)
    {
        var completion = answer.Completion with
        {
            Choices = [.. answer.Completion.Choices.Select((c, i) => c with { AdditionalProperties = ModerationJson.With(c.AdditionalProperties, answer.Choices[i].Moderation) })],
            AdditionalProperties = ModerationJson.With(answer.Completion.AdditionalProperties, answer.Input),
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        OpenAiWireFormat.WriteCompletion(writer, completion);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteStreamAsync(HttpContext context, ProxyAnswer answer, bool includeUsage)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var first = true;
        foreach (var chunk in AnswerChunks.From(answer, includeUsage, Decorate))
        {
            buffer.Clear();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                var withInput = first ? chunk with { AdditionalProperties = ModerationJson.With(chunk.AdditionalProperties, answer.Input) } : chunk;
                OpenAiWireFormat.WriteChunk(writer, withInput);
            }

            first = false;
            await body.WriteAsync("data: "u8.ToArray(), context.RequestAborted);
            await body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
            await body.WriteAsync("\n\n"u8.ToArray(), context.RequestAborted);
            await body.FlushAsync(context.RequestAborted);
        }

        await body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    private static ChatChunkChoice Decorate(ChatChunkChoice choice, ChoiceOutcome outcome) =>
        choice with { AdditionalProperties = ModerationJson.With(choice.AdditionalProperties, outcome.Moderation) };
}
