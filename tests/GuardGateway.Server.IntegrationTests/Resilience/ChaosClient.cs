using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.IntegrationTests.Proxy;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests.Resilience;

/// <summary>
/// The T1 client: one chat request through the HTTP front (<c>/v1/chat/completions</c>) or the gRPC front (Chat),
/// unary or streamed, classified as <see cref="ChaosCallOutcome"/>, with a paired reference timer of the classifier
/// deadline started at the same instant.
/// </summary>
internal static class ChaosClient
{
    /// <param name="deadline">The classifier deadline for the paired reference timer; null: no timer (the call is not
    /// expected to wait for the deadline), and <see cref="ChaosCall.ReferenceFired"/> is zero.</param>
    public static async Task<ChaosCall> CallAsync(GatewayHost host, string id, bool grpc, bool stream, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        var fired = new StrongBox<long>();
        var started = Stopwatch.GetTimestamp();

        // Recorded on the timer's own callback thread, as the gateway's deadline callback runs on it.
        var reference = deadline is { } due
            ? Task.Delay(due, CancellationToken.None).ContinueWith(
                static (_, box) => ((StrongBox<long>)box!).Value = Stopwatch.GetTimestamp(),
                fired,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default)
            : Task.CompletedTask;
        var (outcome, detail) = grpc
            ? await GrpcAsync(host, id, stream, cancellationToken)
            : await HttpAsync(host, id, stream, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await reference;
        return new ChaosCall(id, outcome, elapsed, deadline is null ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, fired.Value), detail);
    }

    private static async Task<(ChaosCallOutcome, string)> HttpAsync(GatewayHost host, string id, bool stream, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { model = "llama-3-8b", stream, messages = new[] { new { role = "user", content = "hello " + id } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Client);
        request.Headers.Add("X-Request-Id", id);
        using var response = await host.Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var configured = response.StatusCode == HttpStatusCode.ServiceUnavailable && text.Contains("\"no_verdict\"", StringComparison.Ordinal);
            return (configured ? ChaosCallOutcome.ConfiguredCode : ChaosCallOutcome.Other, status);
        }

        List<string> finishes;
        var done = true;
        if (stream)
        {
            var data = ProxyJson.SseData(text);
            finishes = ProxyJson.StreamedFinishReasons(data);
            done = data.Count > 0 && data[^1] == "[DONE]";
        }
        else
        {
            using var json = JsonDocument.Parse(text);
            finishes = [ProxyJson.Finish(ProxyJson.Choice(json.RootElement, 0))];
        }

        var clean = done && finishes.Contains("stop") && !finishes.Contains("content_filter");
        return (clean ? ChaosCallOutcome.Clean : ChaosCallOutcome.Filtered, $"{status} {string.Join(',', finishes)}{(done ? "" : " (no [DONE])")}");
    }

    private static async Task<(ChaosCallOutcome, string)> GrpcAsync(GatewayHost host, string id, bool stream, CancellationToken cancellationToken)
    {
        var chat = new Chat.ChatClient(host.Channel);
        var request = new ChatRequest { Model = "llama-3-8b", RequestId = id, Messages = { new ChatTurn { Role = "user", Content = "hello " + id } } };
        var options = GatewayHost.With(TestKeys.Client).WithCancellationToken(cancellationToken);
        var finishes = new List<string>();
        try
        {
            if (stream)
            {
                using var call = chat.CompleteStream(request, options);
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    finishes.AddRange(chunk.Choices.Select(c => c.FinishReason).Where(f => f.Length > 0));
                }
            }
            else
            {
                var response = await chat.CompleteAsync(request, options);
                finishes.Add(response.Choices[0].FinishReason);
            }
        }
        catch (RpcException error)
        {
            var reason = StatusDetails.Info(error)?.Reason;
            var detail = $"{error.StatusCode} {reason} after [{string.Join(',', finishes)}]";

            // The configured code before any finish; otherwise a non-OK end of a stream is a cut (filtered) stream.
            return (error.StatusCode == StatusCode.Unavailable && reason == "NO_VERDICT" && finishes.Count == 0 ? ChaosCallOutcome.ConfiguredCode
                : stream ? ChaosCallOutcome.Filtered
                : ChaosCallOutcome.Other, detail);
        }

        var clean = finishes.Contains("stop") && !finishes.Contains("content_filter");
        return (clean ? ChaosCallOutcome.Clean : ChaosCallOutcome.Filtered, "OK " + string.Join(',', finishes));
    }
}
