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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.Tests.Fakes;

/// <summary>A scriptable KServe v2 gRPC server on real Kestrel (HTTP/2 cleartext) at 127.0.0.1 with an ephemeral port.</summary>
internal sealed class FakeKServeServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<(ModelInferRequest Request, FakeRequest Record)> _requests = new();
    private WebApplication? _app;
    private int _count;

    public string Url { get; private set; } = "";

    /// <summary>Unary behaviour: returns the response or throws an <see cref="RpcException"/>.</summary>
    public Func<ModelInferRequest, int, CancellationToken, Task<ModelInferResponse>> Unary { get; set; } =
        (r, _, _) => Task.FromResult(TextResponse(r.ModelName, "hello", raw: false));

    /// <summary>Streaming behaviour: writes responses (or throws) for the single request.</summary>
    public Func<ModelInferRequest, IServerStreamWriter<ModelStreamInferResponse>, ServerCallContext, Task> Stream { get; set; } =
        async (r, w, c) => await w.WriteAsync(new ModelStreamInferResponse { InferResponse = TextResponse(r.ModelName, "hello", raw: false) });

    public int RequestCount => Volatile.Read(ref _count);

    public IReadOnlyList<(ModelInferRequest Request, FakeRequest Record)> Requests => [.. _requests];

    public static async Task<FakeKServeServer> StartAsync()
    {
        var server = new FakeKServeServer();
        var builder = WebApplication.CreateSlimBuilder();
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

    /// <summary>A response whose BYTES output holds the given elements, as bytes_contents or raw_output_contents.</summary>
    public static ModelInferResponse TextResponse(string model, string text, bool raw, string outputName = "text_output", params string[] more)
    {
        var elements = new[] { text }.Concat(more).Select(System.Text.Encoding.UTF8.GetBytes).ToList();
        var response = new ModelInferResponse { ModelName = model };
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = outputName, Datatype = "BYTES" };
        output.Shape.Add([1, elements.Count]);
        if (raw)
        {
            response.RawOutputContents.Add(GuardGateway.Backends.KServe.KServeTensorCodec.EncodeRawBytes([.. elements.Select(e => (ReadOnlyMemory<byte>)e)]));
        }
        else
        {
            output.Contents = new InferTensorContents();
            output.Contents.BytesContents.Add(elements.Select(ByteString.CopyFrom));
        }

        response.Outputs.Add(output);
        return response;
    }

    /// <summary>A stream response carrying raw bytes of text (may be a partial UTF-8 sequence).</summary>
    public static ModelStreamInferResponse StreamPiece(byte[] bytes, bool final = false)
    {
        var response = new ModelInferResponse();
        var output = new ModelInferResponse.Types.InferOutputTensor { Name = "text_output", Datatype = "BYTES", Contents = new InferTensorContents() };
        output.Shape.Add([1, 1]);
        output.Contents.BytesContents.Add(ByteString.CopyFrom(bytes));
        response.Outputs.Add(output);
        if (final)
        {
            response.Parameters["triton_final_response"] = new InferParameter { BoolParam = true };
        }

        return new ModelStreamInferResponse { InferResponse = response };
    }

    public async Task<FakeRequest> WaitForRequestAsync(int number)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = _requests.FirstOrDefault(r => r.Record.Number == number);
            if (found.Record is not null)
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
        _requests.Enqueue((request, record));
        return record;
    }
}
