using System.Text.Json;
using GuardGateway.Backends.OpenAi;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Streaming;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Hosting;
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
    ShutdownDrain drain,
    ILogger<OpenAiChatEndpoint> logger)
{
    /// <summary>The response header set when any text was released without a verdict (a fail-open policy).</summary>
    public const string FailOpenHeader = "x-guardgateway-fail-open";

    /// <summary>Handles one request on <paramref name="endpoint"/>.</summary>
    public async Task HandleAsync(HttpContext context, ChatEndpoint endpoint)
    {
        var route = endpoint == ChatEndpoint.ChatCompletions ? "/v1/chat/completions" : "/v1/completions";
        using var admitted = await OpenAiAdmission.TryAdmitAsync(context, route, keys, limiter, options.Value.MaxRequestBytes, logger);
        if (admitted is null)
        {
            return;
        }

        var requestId = admitted.RequestId;
        var parsed = OpenAiWireFormat.ReadRequest(admitted.Body, endpoint, out var stream);
        if (!parsed.IsSuccess)
        {
            await OpenAiErrors.WriteAsync(context, ProxyError.From(parsed.Error));
            return;
        }

        var (policy, policyError) = policies.Select(context.Request.Headers[OpenAiRequestReader.PolicyHeader].ToString(), admitted.Caller.KeyId, parsed.Value.Model);
        if (policyError is not null)
        {
            await OpenAiErrors.WriteAsync(context, policyError);
            return;
        }

        var call = new ProxyCall(parsed.Value, policy!, requestId, stream);
        context.Response.Headers["x-request-id"] = requestId;
        if (stream)
        {
            var started = await proxy.OpenStreamAsync(call, context.RequestAborted);
            if (started.Stream is { } open)
            {
                await using (open)
                {
                    await WriteModeratedStreamAsync(context, open);
                }

                return;
            }

            await WriteOutcomeAsync(context, started.Finished!.Value, stream: true, parsed.Value.IncludeStreamUsage);
            return;
        }

        await WriteOutcomeAsync(context, await proxy.RunAsync(call, context.RequestAborted), stream: false, includeUsage: false);
    }

    private async Task WriteOutcomeAsync(HttpContext context, ProxyOutcome outcome, bool stream, bool includeUsage)
    {
        if (!outcome.IsSuccess)
        {
            await OpenAiErrors.WriteAsync(context, outcome.Error);
            return;
        }

        var answer = outcome.Answer;
        if (answer.FailedOpen)
        {
            ProxyLog.FailedOpen(logger, context.Response.Headers["x-request-id"].ToString(), answer.Input.PolicyId);
            context.Response.Headers[FailOpenHeader] = "true";
        }

        if (stream)
        {
            await WriteStreamAsync(context, answer, includeUsage);
        }
        else
        {
            await WriteUnaryAsync(context, answer);
        }
    }

    /// <summary>
    /// Relays a verify-then-release stream. The response starts with the first verified chunk, so a stream that fails
    /// before releasing anything still gets a proper error status. A clean or content-filtered end gets a last chunk
    /// with the <c>moderation</c> field and <c>[DONE]</c>; a failed stream ends with an error event and no <c>[DONE]</c>
    /// (SDKs raise it), never as a clean finish.
    /// </summary>
    private async Task WriteModeratedStreamAsync(HttpContext context, ProxyStream open)
    {
        var token = context.RequestAborted;
        var started = false;
        ChatCompletionChunk? last = null;
        if (open.InputFailedOpen)
        {
            context.Response.Headers[FailOpenHeader] = "true";
        }

        async Task StartAsync()
        {
            if (!started)
            {
                started = true;
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.Body.FlushAsync(token);
            }
        }

        // Released text is written as soon as it arrives. The content_filter chunk of a stream that ends with a
        // no-verdict error never arrives (ChatProxy holds and drops it), so the error can still be a proper HTTP
        // status when nothing was sent yet.
        async Task WriteAsync(ChatCompletionChunk chunk)
        {
            var withInput = last is null ? chunk with { AdditionalProperties = ModerationJson.With(chunk.AdditionalProperties, open.Input) } : chunk;
            last = chunk;
            await StartAsync();
            await WriteEventAsync(context, withInput, token);
        }

        // The drain deadline ends a stream still open at shutdown with an error event (RELIABILITY.md T13).
        using var drained = CancellationTokenSource.CreateLinkedTokenSource(token, drain.StreamsEnd);
        await foreach (var item in open.Events.WithCancellation(drained.Token))
        {
            if (item is ModeratedChunk released)
            {
                await WriteAsync(released.Chunk);
                continue;
            }

            if (item is not ModeratedStreamEnd end)
            {
                continue;
            }

            if (end.Reason == StreamEndReason.Cancelled && !drain.EndedByDrain(token))
            {
                return;
            }

            var failure = end.Reason switch
            {
                StreamEndReason.Cancelled => ProxyError.ShuttingDown,
                StreamEndReason.UpstreamFailed or StreamEndReason.InvalidContext => ProxyError.From(end.Error ?? new Core.Results.GuardError(Core.Results.GuardErrorCode.BackendProtocolError, "The stream failed.")),
                _ => proxy.StreamEndError(end),
            };
            if (failure is not null)
            {
                // The error replaces the content_filter finish of the blocked choices.
                if (!started)
                {
                    await OpenAiErrors.WriteAsync(context, failure);
                    return;
                }

                ProxyLog.StreamFailed(logger, context.Response.Headers["x-request-id"].ToString(), failure.Code);
                await WriteErrorEventAsync(context, failure, token);
                return;
            }

            await StartAsync();
            var summary = proxy.Summarize(end, open);
            var closing = new ChatCompletionChunk
            {
                Endpoint = last?.Endpoint ?? ChatEndpoint.ChatCompletions,
                Id = last?.Id ?? "",
                Model = last?.Model ?? "",
                Created = last?.Created ?? 0,
                AdditionalProperties = ModerationJson.With(Core.Backends.JsonExtensionData.Empty, summary),
            };
            await WriteEventAsync(context, closing, token);
            await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), token);
            await context.Response.Body.FlushAsync(token);
            return;
        }
    }

    private static async Task WriteEventAsync(HttpContext context, ChatCompletionChunk chunk, CancellationToken token)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OpenAiWireFormat.WriteChunk(writer, chunk);
        }

        var body = context.Response.Body;
        await body.WriteAsync("data: "u8.ToArray(), token);
        await body.WriteAsync(buffer.WrittenMemory, token);
        await body.WriteAsync("\n\n"u8.ToArray(), token);
        await body.FlushAsync(token);
    }

    private static async Task WriteErrorEventAsync(HttpContext context, ProxyError error, CancellationToken token)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", error.Message);
            writer.WriteString("type", OpenAiErrors.TypeOf(error.Kind));
            writer.WriteNull("param");
            writer.WriteString("code", error.Code);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var body = context.Response.Body;
        await body.WriteAsync("data: "u8.ToArray(), token);
        await body.WriteAsync(buffer.WrittenMemory, token);
        await body.WriteAsync("\n\n"u8.ToArray(), token);
        await body.FlushAsync(token);
    }

    private static async Task WriteUnaryAsync(HttpContext context, ProxyAnswer answer)
    {
        var completion = answer.Completion with
        {
            Choices = [.. answer.Completion.Choices.Select((c, i) => WithRefusal(c, answer.Choices[i].Refusal) with { AdditionalProperties = ModerationJson.With(c.AdditionalProperties, answer.Choices[i].Moderation) })],
            AdditionalProperties = ModerationJson.With(answer.Completion.AdditionalProperties, answer.Input),
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        OpenAiWireFormat.WriteCompletion(writer, completion);
        await writer.FlushAsync(context.RequestAborted);
    }

    /// <summary>A withheld chat choice also carries OpenAI's <c>message.refusal</c> field (SDKs expose it).</summary>
    private static ChatChoice WithRefusal(ChatChoice choice, string? refusal) =>
        refusal is null || choice.Message is null
            ? choice
            : choice with
            {
                Message = choice.Message with
                {
                    AdditionalProperties = new Dictionary<string, JsonElement>(choice.Message.AdditionalProperties, StringComparer.Ordinal)
                    {
                        ["refusal"] = JsonSerializer.SerializeToElement(refusal),
                    },
                },
            };

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
