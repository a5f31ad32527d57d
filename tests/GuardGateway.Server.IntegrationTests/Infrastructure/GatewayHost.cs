using System.Net;
using System.Net.Sockets;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.Hosting;
using GuardGateway.Server.Model;
using GuardGateway.TestUtilities;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.IntegrationTests.Infrastructure;

/// <summary>
/// A real GuardGateway server for one test: in memory (TestServer) or Kestrel on loopback, with a policy
/// directory of its own and a log sink that fails the test on an unexpected error log or on payload text in
/// any log record (checked at dispose).
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GatewayHostOptions options;
    private readonly TempDirectory policies;
    private bool stopped;

    private GatewayHost(WebApplication app, GatewayHostOptions options, TempDirectory policies, GrpcChannel channel, HttpClient http, string? grpcAddress)
    {
        GrpcAddress = grpcAddress;
        this.app = app;
        this.options = options;
        this.policies = policies;
        Channel = channel;
        Http = http;
    }

    /// <summary>The gRPC endpoint URL when running on Kestrel; null in memory.</summary>
    public string? GrpcAddress { get; }

    /// <summary>A channel to the gRPC endpoint.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>A client of the HTTP endpoint (/metrics, /healthz).</summary>
    public HttpClient Http { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>The policy directory the server watches.</summary>
    public string PoliciesDirectory => options.PoliciesDirectory ?? policies.Path;

    /// <summary>Every log record so far.</summary>
    public IReadOnlyList<FakeLogRecord> Logs => app.Services.GetFakeLogCollector().GetSnapshot();

    public Moderation.ModerationClient Moderation => new(Channel);

    public PoliciesApi.PoliciesClient Policies => new(Channel);

    /// <summary>Starts a host with the test policies (<see cref="TestPolicies.WriteDefaults"/>).</summary>
    public static async Task<GatewayHost> StartAsync(GatewayHostOptions? options = null)
    {
        options ??= new GatewayHostOptions();
        var policies = new TempDirectory();
        TestPolicies.WriteDefaults(policies.Path);
        var policyDirectory = options.PoliciesDirectory ?? policies.Path;
        var source = options.ModelSource ?? new FakeModelSource(KeywordClassifier.Default());

        var config = new Dictionary<string, string?>
        {
            ["Guard:PoliciesPath"] = policyDirectory,
            ["Guard:DemoModelCachePath"] = RepositoryPaths.Cache,
            ["Guard:DefaultPolicy"] = "default",
        };
        if (options.WithKeys)
        {
            config["Auth:ClientKeys:0"] = TestKeys.Client;
            config["Auth:AdminKeys:0"] = TestKeys.Admin;
            config["Auth:PolicyOwnerKeys:0"] = TestKeys.Owner;
        }

        int grpcPort = 0, httpPort = 0;
        if (options.UseKestrel)
        {
            grpcPort = FreePort();
            httpPort = FreePort();
            config["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}";
            config["Kestrel:Endpoints:Grpc:Protocols"] = "Http2";
            config["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort}";
            config["Kestrel:Endpoints:Http:Protocols"] = "Http1";
        }

        foreach (var (key, value) in options.Configuration)
        {
            config[key] = value;
        }

        var app = GuardGatewayApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            if (!options.UseKestrel)
            {
                builder.WebHost.UseTestServer();
            }

            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(options.TraceFrameworkLogs ? LogLevel.Trace : LogLevel.Debug);
            if (!options.TraceFrameworkLogs)
            {
                builder.Logging.AddFilter("Microsoft", LogLevel.Information);
                builder.Logging.AddFilter("Grpc", LogLevel.Information);
            }

            builder.Logging.AddFakeLogging();
            if (!options.UseEngine)
            {
                builder.Services.AddSingleton<IGuardModelSource>(source);
            }

            options.Services?.Invoke(builder.Services);
        });
        await app.StartAsync();

        GrpcChannel channel;
        HttpClient http;
        if (options.UseKestrel)
        {
            channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        }
        else
        {
            var server = app.GetTestServer();
            channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
            http = server.CreateClient();
        }

        return new GatewayHost(app, options, policies, channel, http, options.UseKestrel ? $"http://127.0.0.1:{grpcPort}" : null);
    }

    /// <summary>Call options with <c>authorization: Bearer key</c> (none when null) and a short deadline.</summary>
    public static CallOptions With(string? key) =>
        new(headers: key is null ? [] : new Metadata { { "authorization", "Bearer " + key } }, deadline: DateTime.UtcNow.AddSeconds(20));

    /// <summary>Waits until the server's model is loaded.</summary>
    public async Task WaitForModelAsync()
    {
        var state = app.Services.GetRequiredService<GuardModelState>();
        for (var i = 0; i < 6000 && state.Classifier is null && state.Failure is null; i++)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Stops the host as SIGTERM would (the drain runs); dispose still checks the logs afterwards.</summary>
    public async Task StopAsync()
    {
        stopped = true;
        await app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        if (!stopped)
        {
            await app.StopAsync();
        }

        await app.DisposeAsync();
        policies.Dispose();

        var unexpected = records
            .Where(r => r.Level >= LogLevel.Error && !options.ExpectedErrorEventIds.Contains(r.Id.Id))
            .Select(r => $"[{r.Category}/{r.Id.Id}] {r.Message}")
            .ToList();
        Assert.True(unexpected.Count == 0, "Unexpected error logs:\n" + string.Join('\n', unexpected));
        foreach (var forbidden in options.ForbiddenLogText)
        {
            var leaked = records.Where(r => Contains(r, forbidden)).Select(r => $"[{r.Category}/{r.Id.Id}]").ToList();
            Assert.True(leaked.Count == 0, $"Log records contain payload text '{forbidden}': {string.Join(", ", leaked)}");
        }
    }

    private static bool Contains(FakeLogRecord record, string text) =>
        record.Message.Contains(text, StringComparison.Ordinal)
        || (record.Exception?.ToString().Contains(text, StringComparison.Ordinal) ?? false)
        || (record.StructuredState?.Any(kv => kv.Value?.Contains(text, StringComparison.Ordinal) ?? false) ?? false);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
