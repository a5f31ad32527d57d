using System.Buffers;
using System.Text.Json;
using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Logging;
using GuardGateway.Backends.Resilience;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.OpenAi;

/// <summary>
/// An OpenAI-compatible HTTP backend (vLLM, TGI, llama.cpp server, Ollama): <c>POST /v1/chat/completions</c> and
/// <c>POST /v1/completions</c>, unary and SSE. Every call goes through the backend's pipeline; a unary attempt covers
/// the whole answer, a stream attempt ends at the response headers (the last point a retry is safe).
/// </summary>
internal sealed partial class OpenAiChatBackend : IChatBackend, IDisposable
{
    private readonly BackendOptions _options;
    private readonly HttpClient _http;
    private readonly BackendCallRunner _runner;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _chatUri;
    private readonly Uri _completionsUri;

    public OpenAiChatBackend(BackendOptions options, HttpMessageHandler handler, BackendCallRunner runner, TimeProvider time, ILogger logger)
    {
        _options = options;
        _runner = runner;
        _time = time;
        _logger = logger;

        // Timeouts come from the pipeline (and the TimeProvider), never from HttpClient's own clock.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var root = options.Url.TrimEnd('/');
        _chatUri = new Uri(root + "/v1/chat/completions", UriKind.Absolute);
        _completionsUri = new Uri(root + "/v1/completions", UriKind.Absolute);
    }

    public string Name => _options.Name;

    /// <summary>The pipeline, for composition tests.</summary>
    internal BackendCallRunner Runner => _runner;

    /// <summary>A handler with the settings every backend connection uses.</summary>
    public static SocketsHttpHandler CreateHandler(BackendOptions options) => new()
    {
        ConnectTimeout = options.ConnectTimeout,
        AllowAutoRedirect = false,
        UseCookies = false,

        // Backends are addressed directly; an ambient HTTP(S)_PROXY must not reroute moderated traffic.
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        EnableMultipleHttp2Connections = true,
    };

    public async Task<Result<ChatCompletion>> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var call = new Call(this, request, Serialize(request, stream: false));
        var result = await _runner.RunAsync(static (c, ct) => c.Backend.AttemptUnaryAsync(c, ct), call, leaseSlot: null, cancellationToken);
        if (!result.IsSuccess)
        {
            BackendLog.CallFailed(_logger, Name, result.Error.Code);
        }

        return result;
    }

    public void Dispose() => _http.Dispose();

    private static GuardError? Validate(ChatCompletionRequest request)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            return GuardError.Invalid("A model name is required.");
        }

        return request.Endpoint switch
        {
            ChatEndpoint.ChatCompletions when request.Messages.Count == 0 => GuardError.Invalid("A chat request needs at least one message."),
            ChatEndpoint.Completions when request.Prompt is null => GuardError.Invalid("A completions request needs a prompt."),
            _ => null,
        };
    }

    private static ReadOnlyMemory<byte> Serialize(ChatCompletionRequest request, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OpenAiWireFormat.WriteRequest(writer, request, stream);
        }

        return buffer.WrittenMemory;
    }

    private HttpRequestMessage CreateHttpRequest(Call call, bool stream)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, call.Request.Endpoint == ChatEndpoint.ChatCompletions ? _chatUri : _completionsUri)
        {
            Content = new ReadOnlyMemoryContent(call.Body),
        };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        message.Headers.Accept.ParseAdd(stream ? "text/event-stream" : "application/json");
        if (call.Request.RequestId is { } id)
        {
            message.Headers.TryAddWithoutValidation("X-Request-Id", id);
        }

        return message;
    }

    /// <summary>The state of one call, shared by its attempts (the body is serialized once).</summary>
    private sealed record Call(OpenAiChatBackend Backend, ChatCompletionRequest Request, ReadOnlyMemory<byte> Body);
}
