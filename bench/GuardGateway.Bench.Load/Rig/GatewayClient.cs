using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GuardGateway.Bench.Hosting;
using GuardGateway.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GuardGateway.Bench.Load.Rig;

/// <summary>
/// Sends one non-streaming chat request with one user message to either front and classifies the answer. Every call
/// has its own timeout; transport failures and timeouts are results, not exceptions.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    public const string Model = "llama-3-8b";

    private readonly HttpClient http;
    private readonly GrpcChannel channel;
    private readonly Chat.ChatClient chat;
    private readonly TimeSpan timeout;

    public GatewayClient(InProcessGateway gateway, TimeSpan timeout, int connections = 256)
    {
        http = BenchMachine.NewClient(gateway.Url, connections);
        channel = GrpcChannel.ForAddress(gateway.GrpcUrl, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxRetryAttempts = 0,
        });
        chat = new Chat.ChatClient(channel);
        this.timeout = timeout;
    }

    /// <summary>Request <paramref name="number"/> goes to <paramref name="front"/> (<see cref="Front.Both"/>: even HTTP, odd gRPC).</summary>
    public Task<CallResult> SendAsync(Front front, long number, string text, string key, CancellationToken cancellationToken) =>
        front == Front.Grpc || (front == Front.Both && number % 2 == 1)
            ? GrpcAsync(text, key, cancellationToken)
            : HttpAsync(text, key, cancellationToken);

    public async Task<CallResult> HttpAsync(string text, string key, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { model = Model, messages = new[] { new { role = "user", content = text } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, deadline.Token);
            var answer = await response.Content.ReadAsStringAsync(deadline.Token);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new CallResult(FinishReason(answer) == "stop" ? CallKind.Allowed : CallKind.Blocked, ms, "200"),
                HttpStatusCode.TooManyRequests => new CallResult(CallKind.Shed, ms, "429 " + ErrorCode(answer)),
                HttpStatusCode.ServiceUnavailable => new CallResult(CallKind.NoVerdict, ms, "503 " + ErrorCode(answer)),
                _ => new CallResult(CallKind.Error, ms, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + ErrorCode(answer)),
            };
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new CallResult(CallKind.Error, Stopwatch.GetElapsedTime(started).TotalMilliseconds, "http " + exception.GetType().Name);
        }
    }

    public async Task<CallResult> GrpcAsync(string text, string key, CancellationToken cancellationToken)
    {
        var request = new ChatRequest { Model = Model, Messages = { new ChatTurn { Role = "user", Content = text } } };
        var options = new CallOptions(
            headers: new Metadata { { "authorization", "Bearer " + key } },
            deadline: DateTime.UtcNow + timeout,
            cancellationToken: cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await chat.CompleteAsync(request, options);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new CallResult(response.Choices.Count > 0 && response.Choices[0].FinishReason == "stop" ? CallKind.Allowed : CallKind.Blocked, ms, "OK");
        }
        catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return exception.StatusCode switch
            {
                StatusCode.ResourceExhausted => new CallResult(CallKind.Shed, ms, "RESOURCE_EXHAUSTED"),
                StatusCode.Unavailable => new CallResult(CallKind.NoVerdict, ms, "UNAVAILABLE"),
                _ => new CallResult(CallKind.Error, ms, exception.StatusCode.ToString()),
            };
        }
    }

    public void Dispose()
    {
        http.Dispose();
        channel.Dispose();
    }

    private static string? FinishReason(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("finish_reason", out var finish) ? finish.GetString() : null;
    }

    private static string ErrorCode(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
