using GuardGateway.Backends.Fakes.KServe;

namespace GuardGateway.Server.IntegrationTests.Proxy;

/// <summary>
/// A <see cref="ProxyGateway"/> whose only backend is <c>Kind=kserve</c>, pointing at a fake KServe v2 gRPC server
/// (or at <c>backendUrl</c>). The proxy's fake OpenAI server still runs but is not routed to; tests assert it stays
/// untouched.
/// </summary>
internal sealed class KServeGateway : IAsyncDisposable
{
    private KServeGateway(ProxyGateway proxy, FakeKServeServer kserve)
    {
        Proxy = proxy;
        KServe = kserve;
    }

    public ProxyGateway Proxy { get; }

    public FakeKServeServer KServe { get; }

    /// <param name="inputEncoding"><c>BytesContents</c> or <c>RawContents</c> (the backend's <c>KServe:InputEncoding</c>).</param>
    /// <param name="backendUrl">Overrides the fake's address (e.g. a closed port).</param>
    public static async Task<KServeGateway> StartAsync(string inputEncoding = "BytesContents", string? backendUrl = null)
    {
        var kserve = await FakeKServeServer.StartAsync();
        try
        {
            var proxy = await ProxyGateway.StartAsync(
                backendUrl: backendUrl ?? kserve.Url,
                configuration: new()
                {
                    ["Backends:0:Name"] = "triton",
                    ["Backends:0:Kind"] = "kserve",
                    ["Backends:0:KServe:InputEncoding"] = inputEncoding,
                });
            return new KServeGateway(proxy, kserve);
        }
        catch
        {
            await kserve.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The OpenAI server must not have been called: the route goes to the KServe backend only.
        var openAiCalls = Proxy.Upstream.RequestCount;
        await Proxy.DisposeAsync();
        await KServe.DisposeAsync();
        Assert.Equal(0, openAiCalls);
    }
}
