using System.Text.Json;
using GuardGateway.Core.Moderation;
using GuardGateway.Server.Auth;
using GuardGateway.Server.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.OpenAi;

/// <summary>
/// <c>POST /v1/moderations</c> in OpenAI's response shape. Each input (a string, or an array of strings / text parts)
/// is judged as a single user message under the caller's policy; works without any backend.
/// </summary>
internal sealed class OpenAiModerationsEndpoint(
    ProxyModerator moderator,
    ProxyPolicies policies,
    ProxyLimiter limiter,
    ApiKeyRing keys,
    IOptions<ProxyOptions> options,
    ILogger<OpenAiModerationsEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        using var admitted = await OpenAiAdmission.TryAdmitAsync(context, "/v1/moderations", keys, limiter, options.Value.MaxRequestBytes, logger);
        if (admitted is null)
        {
            return;
        }

        var requestId = admitted.RequestId;
        var (inputs, model, parseError) = Parse(admitted.Body, options.Value.MaxPrompts);
        if (parseError is not null)
        {
            await OpenAiErrors.WriteAsync(context, parseError);
            return;
        }

        var (policy, policyError) = policies.Select(context.Request.Headers[OpenAiRequestReader.PolicyHeader].ToString(), admitted.Caller.KeyId, null);
        if (policyError is not null)
        {
            await OpenAiErrors.WriteAsync(context, policyError);
            return;
        }

        var results = await Task.WhenAll(inputs!.Select(text =>
            moderator.ModerateAsync(GuardConversation.FromPrompt(text), policy!, ModerationDirection.Input, requestId, context.RequestAborted)));
        var decisions = new List<ModerationDecision>(results.Length);
        foreach (var result in results)
        {
            if (!result.IsSuccess)
            {
                await OpenAiErrors.WriteAsync(context, ProxyError.From(result.Error));
                return;
            }

            if (result.Value.FailedClosed && options.Value.NoVerdictResponse == NoVerdictResponse.Error)
            {
                await OpenAiErrors.WriteAsync(context, new ProxyError(ProxyErrorKind.NoVerdict, "no_verdict", "The guard gave no verdict."));
                return;
            }

            decisions.Add(result.Value);
        }

        if (decisions.Any(d => d.FailedOpen))
        {
            context.Response.Headers[OpenAiChatEndpoint.FailOpenHeader] = "true";
        }

        context.Response.Headers["x-request-id"] = requestId;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        Write(writer, "modr-" + requestId, model ?? moderator.Model.Name, decisions, moderator.Model.IsDemo);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static (List<string>? Inputs, string? Model, ProxyError? Error) Parse(ReadOnlyMemory<byte> body, int maxInputs)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("input", out var input))
            {
                return (null, null, ProxyError.Invalid("'input' is required."));
            }

            string? model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var inputs = new List<string>();
            switch (input.ValueKind)
            {
                case JsonValueKind.String:
                    inputs.Add(input.GetString()!);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in input.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String)
                        {
                            inputs.Add(item.GetString()!);
                        }
                        else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("type", out var type) && type.ValueEquals("text")
                            && item.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                        {
                            inputs.Add(text.GetString()!);
                        }
                        else
                        {
                            // Images and other parts cannot be judged by a text guard: refused, never reported as safe.
                            return (null, null, ProxyError.Invalid("'input' items must be strings or text parts."));
                        }
                    }

                    break;
                default:
                    return (null, null, ProxyError.Invalid("'input' must be a string or an array."));
            }

            return inputs.Count is 0 || inputs.Count > maxInputs
                ? (null, null, ProxyError.Invalid($"'input' must hold 1 to {maxInputs} items."))
                : (inputs, model, null);
        }
        catch (JsonException)
        {
            return (null, null, ProxyError.Invalid("The request body is not valid JSON."));
        }
        catch (InvalidOperationException)
        {
            // GetString throws this for strings that are not valid UTF-16 once unescaped ("\ud800"): found by
            // fuzzing the wire format (fuzz/README.md). Such text cannot be moderated faithfully: refuse it.
            return (null, null, ProxyError.Invalid("The request body holds a string that is not valid Unicode."));
        }
    }

    private static void Write(Utf8JsonWriter writer, string id, string model, IReadOnlyList<ModerationDecision> decisions, bool demo)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("model", model);
        writer.WriteStartArray("results");
        foreach (var decision in decisions)
        {
            var reported = decision.Categories.Where(c => c.Reported).ToList();
            var flags = new HashSet<string>(reported.SelectMany(c => OpenAiCategoryMap.For(c.Code)), StringComparer.Ordinal);
            var scores = new Dictionary<string, float>(StringComparer.Ordinal);
            foreach (var category in decision.Categories)
            {
                foreach (var name in OpenAiCategoryMap.For(category.Code))
                {
                    scores[name] = Math.Max(scores.GetValueOrDefault(name), category.Score);
                }
            }

            writer.WriteStartObject();

            // Flagged = the guard reported something, or the policy withheld the text (fail-closed without a verdict too).
            writer.WriteBoolean("flagged", reported.Count > 0 || decision.Action == ModerationAction.Block);
            writer.WriteStartObject("categories");
            foreach (var name in OpenAiCategoryMap.Names)
            {
                writer.WriteBoolean(name, flags.Contains(name));
            }

            writer.WriteEndObject();
            writer.WriteStartObject("category_scores");
            foreach (var name in OpenAiCategoryMap.Names)
            {
                writer.WriteNumber(name, scores.GetValueOrDefault(name));
            }

            writer.WriteEndObject();
            writer.WritePropertyName("guardgateway");
            ModerationJson.Write(writer, ModerationSummary.From(decision, demo));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
