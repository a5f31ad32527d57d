using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Grpc.Core;
using Xunit.Abstractions;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// RELIABILITY.md T15 on the gRPC front and the HTTP moderations endpoint: requests one byte under and over the
/// limit, a declared 64 MB message answered before its body, and 200 sequential near-limit requests without the
/// working set growing past 2× its warmed-up baseline. The proxy's own limits: <c>Proxy/ProxyLimitsTests.cs</c>.
/// </summary>
public sealed class MessageSizeTests(ITestOutputHelper output)
{
    private const int FourMiB = 4 * 1024 * 1024;

    [Theory]
    [InlineData(FourMiB - 1, false)]
    [InlineData(FourMiB + 1, true)]
    public async Task Moderate_MessageAroundTheDefaultLimit_OverIsResourceExhaustedUnderTravelsOn(int size, bool refused)
    {
        await using var host = await GatewayHost.StartAsync();
        var request = RequestOfSize(size);
        Assert.Equal(size, request.CalculateSize());

        var status = await StatusOfAsync(() => host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client)).ResponseAsync);

        // Under the limit the message is read whole and judged (or refused by the text-length policy, never by size).
        Assert.Equal(refused ? StatusCode.ResourceExhausted : StatusCode.OK, status);
    }

    [Fact]
    public async Task Moderate_Declared64MbMessage_ResourceExhaustedBeforeTheBody()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });
        using var client = new HttpClient();
        using var body = new StalledGrpcBody(declaredLength: 64 * 1024 * 1024, sentBytes: 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, host.GrpcAddress + "/guardgateway.v1.Moderation/Moderate")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Client);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        // Only the 5-byte prefix and 1 KiB are sent, then the body stalls: a server that waited for 64 MB never answers.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        await response.Content.ReadAsByteArrayAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var status = response.Headers.TryGetValues("grpc-status", out var values) || response.TrailingHeaders.TryGetValues("grpc-status", out values)
            ? values.Single()
            : null;

        Assert.Equal(((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
    }

    [Theory]
    [InlineData(FourMiB - 1, HttpStatusCode.OK)]
    [InlineData(FourMiB + 1, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Moderations_UndeclaredBodyAroundTheDefaultLimit_OverIs413(int size, HttpStatusCode expected)
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { UseKestrel = true });

        // Chunked (no Content-Length): the limit is enforced while reading, not from the header.
        using var response = await PostModerationAsync(host, size, declareLength: false);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task ModerateAndModerations_200SequentialNearLimit_WorkingSetUnderTwiceBaseline()
    {
        // 1 MiB limits instead of the default 4 MiB: the same receive paths, a quarter of the bytes, so 200 requests
        // stay a few seconds on a shared 2-core box (at 4 MiB each request costs ~4x more in copying and scanning).
        const int limit = 1024 * 1024;
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            UseKestrel = true,
            Configuration = { ["Limits:MaxMessageBytes"] = $"{limit}", ["Proxy:MaxRequestBytes"] = $"{limit}" },
        });
        await host.WaitForModelAsync();
        var grpcRequest = RequestOfSize(limit - 1);
        Assert.Equal(limit - 1, grpcRequest.CalculateSize());

        async Task SendAsync(int i)
        {
            if (i % 2 == 0)
            {
                Assert.Equal(StatusCode.OK, await StatusOfAsync(() => host.Moderation.ModerateAsync(grpcRequest, GatewayHost.With(TestKeys.Client)).ResponseAsync));
            }
            else
            {
                using var response = await PostModerationAsync(host, limit - 1, declareLength: i % 4 == 1);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        for (var i = 0; i < 10; i++)
        {
            await SendAsync(i);
        }

        var baseline = WorkingSetAfterGc();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 200; i++)
        {
            await SendAsync(i);
        }

        var elapsed = watch.Elapsed;
        var after = WorkingSetAfterGc();
        output.WriteLine($"200 near-limit requests in {elapsed.TotalSeconds:F1} s; working set {baseline / 1048576} MiB -> {after / 1048576} MiB "
            + $"(ratio {(double)after / baseline:F2}); peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB");

        Assert.True(after < 2 * baseline, $"working set grew from {baseline} to {after} bytes");
    }

    /// <summary>A one-message request whose serialized size is exactly <paramref name="size"/> bytes.</summary>
    private static ModerateRequest RequestOfSize(int size)
    {
        var request = Conversations.Input("");
        var content = size - request.CalculateSize();
        for (var i = 0; i < 4; i++)
        {
            request.Messages[0].Content = Text(content);
            content += size - request.CalculateSize();
        }

        return request;
    }

    private static string Text(int length)
    {
        const string words = "hello there ";
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(words, 0, Math.Min(words.Length, length - text.Length));
        }

        return text.ToString();
    }

    private static async Task<HttpResponseMessage> PostModerationAsync(GatewayHost host, int size, bool declareLength)
    {
        var prefix = "{\"input\":\""u8.ToArray();
        var bytes = new byte[size];
        prefix.CopyTo(bytes, 0);
        Encoding.ASCII.GetBytes(Text(size - prefix.Length - 2)).CopyTo(bytes, prefix.Length);
        "\"}"u8.CopyTo(bytes.AsSpan(size - 2));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/moderations")
        {
            Content = declareLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Client);
        return await host.Http.SendAsync(request);
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task<ModerateResponse>> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static long WorkingSetAfterGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
