using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using GuardGateway.Server.Model;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// A gateway on loopback Kestrel in front of a scriptable fake OpenAI-compatible server (model <c>llama-3-8b</c>, also
/// the default <c>*</c> route), with the keyword fake guard unless told otherwise. Disposing checks the gateway's logs
/// (no error logs, no <c>canary-</c> text).
/// </summary>
internal sealed class ProxyGateway : IAsyncDisposable
{
    public const string Model = "llama-3-8b";

    private ProxyGateway(GatewayHost host, FakeOpenAiServer upstream)
    {
        Host = host;
        Upstream = upstream;
    }

    public GatewayHost Host { get; }

    public FakeOpenAiServer Upstream { get; }

    public Chat.ChatClient Chat => new(Host.Channel);

    public static async Task<ProxyGateway> StartAsync(
        IGuardModelSource? model = null,
        Dictionary<string, string?>? configuration = null,
        string? backendUrl = null,
        bool useEngine = false,
        IReadOnlyList<string>? forbiddenLogText = null,
        IReadOnlySet<int>? expectedErrors = null,
        bool traceFrameworkLogs = false)
    {
        var upstream = await FakeOpenAiServer.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Backends:0:Name"] = "fake",
            ["Backends:0:Kind"] = "openai",
            ["Backends:0:Url"] = backendUrl ?? upstream.Url,
            ["Backends:0:Models:0"] = Model,
            ["Backends:0:Models:1"] = "*",
            ["Backends:0:AttemptTimeout"] = "00:00:01.500",
            ["Backends:0:TotalTimeout"] = "00:00:03",
            ["Backends:0:StreamIdleTimeout"] = "00:00:02",
            ["Backends:0:ConnectTimeout"] = "00:00:01",
        };
        foreach (var (key, value) in configuration ?? [])
        {
            config[key] = value;
        }

        var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseKestrel = true,
            UseEngine = useEngine,
            ModelSource = model,
            Configuration = config,
            ForbiddenLogText = forbiddenLogText ?? ["canary-"],
            ExpectedErrorEventIds = expectedErrors ?? new HashSet<int>(),
            TraceFrameworkLogs = traceFrameworkLogs,
        });
        await host.WaitForModelAsync();
        return new ProxyGateway(host, upstream);
    }

    /// <summary>POSTs JSON with the client key (or <paramref name="key"/>; none when empty).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, object body, string? key = TestKeys.Client, IDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        PostRawAsync(path, JsonSerializer.Serialize(body), key, headers, cancellationToken);

    public async Task<HttpResponseMessage> PostRawAsync(string path, string json, string? key = TestKeys.Client, IDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await Host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>A chat request body with one user message.</summary>
    public static object UserChat(string text, bool stream = false, int? n = null) =>
        new Dictionary<string, object?> { ["model"] = Model, ["messages"] = new[] { new { role = "user", content = text } }, ["stream"] = stream, ["n"] = n };

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
