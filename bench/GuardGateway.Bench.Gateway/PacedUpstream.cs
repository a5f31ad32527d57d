using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Bench.Gateway;

/// <summary>
/// A fake OpenAI-compatible model server on Kestrel at 127.0.0.1 (ephemeral port): every
/// <c>POST /v1/chat/completions</c> with <c>stream: true</c> gets the role chunk at once, then one content delta per
/// token at a fixed pace (token i leaves at start + (i + 1) × pace, so delays do not accumulate), a finish chunk
/// and <c>[DONE]</c>, the way vLLM streams a decode.
/// </summary>
internal sealed class PacedUpstream : IAsyncDisposable
{
    public const string Model = "llama-3-8b";

    private readonly WebApplication app;
    private readonly byte[] roleChunk;
    private readonly byte[][] tokenChunks;
    private readonly byte[] finish;
    private readonly TimeSpan pace;

    private PacedUpstream(WebApplication app, IReadOnlyList<string> tokens, TimeSpan pace)
    {
        this.app = app;
        this.pace = pace;
        // Serialized once: the fake must cost as little as possible next to the gateway it is compared with.
        roleChunk = Event(Chunk(new { role = "assistant", content = "" }, null));
        tokenChunks = [.. tokens.Select(t => Event(Chunk(new { content = t }, null)))];
        finish = Encoding.UTF8.GetBytes("data: " + Chunk(new { }, "stop") + "\n\ndata: [DONE]\n\n");
    }

    public string Url { get; private set; } = "";

    public static async Task<PacedUpstream> StartAsync(IReadOnlyList<string> tokens, TimeSpan pace, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        ((IConfigurationBuilder)builder.Configuration).Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var upstream = new PacedUpstream(app, tokens, pace);
        app.MapPost("/v1/chat/completions", upstream.StreamAsync);
        await app.StartAsync(cancellationToken);
        upstream.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task StreamAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        // The request body is read (a real server parses it) but the answer does not depend on it.
        await context.Request.Body.CopyToAsync(Stream.Null, ct);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var start = Stopwatch.GetTimestamp();
        await WriteAsync(context.Response, roleChunk, ct);
        for (var i = 0; i < tokenChunks.Length; i++)
        {
            var due = pace * (i + 1) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }

            await WriteAsync(context.Response, tokenChunks[i], ct);
        }

        await WriteAsync(context.Response, finish, ct);
    }

    private static async Task WriteAsync(HttpResponse response, byte[] bytes, CancellationToken ct)
    {
        await response.Body.WriteAsync(bytes, ct);
        await response.Body.FlushAsync(ct);
    }

    private static string Chunk(object delta, string? finishReason) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = "chatcmpl-bench",
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_764_000_000,
        ["model"] = Model,
        ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason } },
    });

    private static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
}
