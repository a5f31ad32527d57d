using System.Net;
using System.Net.Sockets;
using GuardGateway.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Bench.Hosting;

/// <summary>
/// The real gateway (<see cref="GuardGatewayApp"/>) on Kestrel at 127.0.0.1: the embedded planted demo guard
/// (forged into the repository cache on first use) unless <c>services</c> substitutes the model source the way the
/// tests do, the shipped policies, the client keys, and one backend (every model), plus the given configuration.
/// Logging is off (or whatever <c>logging</c> adds) so the console shows only results.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    public const string ClientKey = "bench-client-key-0123456789";

    /// <summary>A second client key: another tenant.</summary>
    public const string OtherClientKey = "bench-client-key-tenant-b-987654";

    private readonly WebApplication app;

    private InProcessGateway(WebApplication app, string url, string grpcUrl)
    {
        this.app = app;
        Url = url;
        GrpcUrl = grpcUrl;
    }

    /// <summary>The OpenAI-compatible HTTP endpoint.</summary>
    public string Url { get; }

    /// <summary>The gRPC endpoint (HTTP/2 without TLS).</summary>
    public string GrpcUrl { get; }

    /// <summary>The gateway's services.</summary>
    public IServiceProvider Services => app.Services;

    public static async Task<InProcessGateway> StartAsync(
        string repositoryRoot,
        string backendUrl,
        IReadOnlyDictionary<string, string?> configuration,
        CancellationToken cancellationToken,
        Action<IServiceCollection>? services = null,
        Action<ILoggingBuilder>? logging = null)
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
            ["Auth:ClientKeys:1"] = OtherClientKey,
            ["Backends:0:Name"] = "bench-fake",
            ["Backends:0:Kind"] = "openai",
            ["Backends:0:Url"] = backendUrl,
            ["Backends:0:Models:0"] = "*",
        };
        foreach (var (key, value) in configuration)
        {
            config[key] = value;
        }

        var app = GuardGatewayApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Logging.ClearProviders();
            logging?.Invoke(builder.Logging);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync(cancellationToken);
        return new InProcessGateway(app, $"http://127.0.0.1:{httpPort}", $"http://127.0.0.1:{grpcPort}");
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
