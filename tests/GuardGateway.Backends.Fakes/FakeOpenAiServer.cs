using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Backends.Fakes;

/// <summary>
/// A scriptable OpenAI-compatible server on real Kestrel at 127.0.0.1 with an ephemeral port. Each request to
/// <c>/v1/chat/completions</c> or <c>/v1/completions</c> is recorded and answered by <see cref="Script"/>.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private int _count;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Decides the answer for each request; defaults to a one-choice chat completion.</summary>
    public Func<FakeRequest, FakeScript> Script { get; set; } = _ => new FakeScript.Reply(200, Payloads.ChatCompletion("hello"));

    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>
    /// Whether <see cref="Requests"/> keeps every request (the default). Long load runs turn it off so the fake's own
    /// memory does not grow with the request count; <see cref="Script"/> still sees each request.
    /// </summary>
    public bool RecordRequests { get; set; } = true;

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    /// <summary>Completes when the request with this number has arrived.</summary>
    public async Task<FakeRequest> WaitForRequestAsync(int number)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = _requests.FirstOrDefault(r => r.Number == number);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(5, timeout.Token);
        }
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // The test output folder holds the gateway's appsettings.json (its Kestrel endpoints): the fake uses none of it.
        ((IConfigurationBuilder)builder.Configuration).Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/v1/completions", server.HandleAsync);
        await app.StartAsync();
        server.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new FakeRequest(
            Interlocked.Increment(ref _count),
            context.Request.Path,
            context.Request.Headers["X-Request-Id"].FirstOrDefault(),
            body.ToArray());
        context.RequestAborted.Register(() => request.Aborted.TrySetResult());
        if (RecordRequests)
        {
            _requests.Enqueue(request);
        }

        var aborted = context.RequestAborted;
        try
        {
            await RunAsync(Script(request), context, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; recorded above.
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
        }
    }

    private static async Task RunAsync(FakeScript script, HttpContext context, CancellationToken aborted)
    {
        var response = context.Response;
        switch (script)
        {
            case FakeScript.Reply reply:
                if (reply.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.Delay, aborted);
                }

                response.StatusCode = reply.Status;
                response.ContentType = reply.ContentType;
                await response.WriteAsync(reply.Body, aborted);
                break;
            case FakeScript.Sse sse:
                response.StatusCode = 200;
                response.ContentType = sse.ContentType;
                await response.Body.FlushAsync(aborted);
                foreach (var piece in sse.Pieces)
                {
                    if (sse.DelayBetween > TimeSpan.Zero)
                    {
                        await Task.Delay(sse.DelayBetween, aborted);
                    }

                    await response.Body.WriteAsync(piece, aborted);
                    await response.Body.FlushAsync(aborted);
                }

                if (sse.AbortAtEnd)
                {
                    // A reset discards bytes the client has not read yet; let it read what was sent so the break
                    // lands mid-stream, not before the headers.
                    await (sse.AbortSignal ?? Task.Delay(100, aborted)).WaitAsync(aborted);
                    context.Abort();
                }
                else if (sse.HangAtEnd)
                {
                    await Task.Delay(Timeout.Infinite, aborted);
                }

                break;
            case FakeScript.Hang:
                await Task.Delay(Timeout.Infinite, aborted);
                break;
            case FakeScript.AbortBeforeHeaders:
                context.Abort();
                break;
            case FakeScript.AbortMidBody mid:
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength = mid.DeclaredLength;
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(mid.PartialBody), aborted);
                await response.Body.FlushAsync(aborted);
                await Task.Delay(100, aborted);
                context.Abort();
                break;
        }
    }
}
