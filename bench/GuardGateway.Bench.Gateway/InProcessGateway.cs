using System.Net;
using System.Net.Sockets;
using GuardGateway.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// The real gateway (<see cref="GuardGatewayApp"/>) on Kestrel at 127.0.0.1: the embedded planted demo guard
/// (forged into the repository cache on first use), the shipped policies, one client key, and one backend (the
/// paced fake, every model), plus the given streaming settings. Logging is off so the console shows only results.
/// </summary>
internal sealed class InProcessGateway : IAsyncDisposable
{
    public const string ClientKey = "bench-client-key-0123456789";

    private readonly WebApplication app;

    private InProcessGateway(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>The OpenAI-compatible HTTP endpoint.</summary>
    public string Url { get; }

    public static async Task<InProcessGateway> StartAsync(string repositoryRoot, string backendUrl, IReadOnlyDictionary<string, string?> streaming, CancellationToken cancellationToken)
    {
        var httpPort = FreePort();
        var grpcPort = FreePort();
        var config = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Guard:ModelPath"] = "",
            ["Guard:DemoModelCachePath"] = Path.Combine(repositoryRoot, ".cache", "fixtures"),
            ["Guard:PoliciesPath"] = Path.Combine(repositoryRoot, "policies"),
            ["Guard:DefaultPolicy"] = "default",
            ["Auth:ClientKeys:0"] = ClientKey,
            ["Backends:0:Name"] = "paced-fake",
            ["Backends:0:Kind"] = "openai",
            ["Backends:0:Url"] = backendUrl,
            ["Backends:0:Models:0"] = "*",
        };
        foreach (var (key, value) in streaming)
        {
            config["Proxy:Streaming:" + key] = value;
        }

        var app = GuardGatewayApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
        });
        await app.StartAsync(cancellationToken);
        return new InProcessGateway(app, $"http://127.0.0.1:{httpPort}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
