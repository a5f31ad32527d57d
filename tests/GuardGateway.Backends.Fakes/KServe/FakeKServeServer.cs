using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.Fakes.KServe;

/// <summary>
/// A scriptable KServe v2 gRPC server (Triton / TensorRT-LLM text model: BYTES <c>text_input</c> -> BYTES
/// <c>text_output</c>) on real Kestrel (HTTP/2 cleartext) at 127.0.0.1 with an ephemeral port, shared by the Backends
/// tests and the gateway's integration tests. Every call is recorded with its prompt text decoded by the fake's own
/// tensor reader (<see cref="FakeKServeTensors"/>); a request without a single-element BYTES <c>text_input</c> fails.
/// </summary>
internal sealed class FakeKServeServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeKServeCall> _requests = new();
    private WebApplication? _app;
    private int _count;

    public string Url { get; private set; } = "";

    /// <summary>
    /// Unary behaviour, given the request, its 1-based arrival number and the call's cancellation: returns the response
    /// or throws an <see cref="RpcException"/>.
    /// </summary>
    public Func<ModelInferRequest, int, CancellationToken, Task<ModelInferResponse>> Unary { get; set; } =
        (r, _, _) => Task.FromResult(FakeKServeTensors.TextResponse(r.ModelName, "hello", raw: false));

    /// <summary>Streaming behaviour: writes responses (or throws) for the single request.</summary>
    public Func<ModelInferRequest, IServerStreamWriter<ModelStreamInferResponse>, ServerCallContext, Task> Stream { get; set; } =
        async (r, w, _) => await w.WriteAsync(FakeKServeTensors.StreamPiece(r.ModelName, "hello", final: true));

    /// <summary>How many calls arrived (including any whose prompt could not be read).</summary>
    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>The calls recorded so far, in arrival order.</summary>
    public IReadOnlyList<FakeKServeCall> Requests => [.. _requests];

    public static async Task<FakeKServeServer> StartAsync()
    {
        var server = new FakeKServeServer();
        var builder = WebApplication.CreateSlimBuilder();

        // The gateway tests' output folder holds the gateway's appsettings.json, whose Kestrel endpoints (fixed ports) the
        // fake would bind as well: a second fake at the same time then failed to start. The fake uses none of it.
        ((IConfigurationBuilder)builder.Configuration).Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        builder.Services.AddSingleton<FakeKServeService>();
        var app = builder.Build();
        app.MapGrpcService<FakeKServeService>();
        await app.StartAsync();
        server._app = app;
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    /// <summary>Waits (up to 10 s) until call <paramref name="number"/> (1-based) has arrived.</summary>
    public async Task<FakeRequest> WaitForRequestAsync(int number)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = _requests.FirstOrDefault(r => r.Record.Number == number);
            if (found is not null)
            {
                return found.Record;
            }

            await Task.Delay(5, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal Task<ModelInferResponse> HandleUnaryAsync(ModelInferRequest request, ServerCallContext context)
    {
        var record = Record(request, context);
        return Unary(request, record.Number, context.CancellationToken);
    }

    internal async Task HandleStreamAsync(IAsyncStreamReader<ModelInferRequest> requests, IServerStreamWriter<ModelStreamInferResponse> responses, ServerCallContext context)
    {
        if (!await requests.MoveNext(context.CancellationToken))
        {
            return;
        }

        var request = requests.Current;
        Record(request, context);
        await Stream(request, responses, context);
    }

    private FakeRequest Record(ModelInferRequest request, ServerCallContext context)
    {
        var record = new FakeRequest(Interlocked.Increment(ref _count), context.Method, context.RequestHeaders.GetValue("x-request-id"), request.ToByteArray());
        context.CancellationToken.Register(() => record.Aborted.TrySetResult());
        var (prompt, raw) = FakeKServeTensors.ReadTextInput(request, "text_input");
        _requests.Enqueue(new FakeKServeCall(request, record, prompt, raw));
        return record;
    }
}
