using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using ReflectionV1 = Grpc.Reflection.V1;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// Server reflection describes the API (no data): open on a server without client keys (local development),
/// and needing any known key once client keys are configured (RELIABILITY.md T18).
/// </summary>
public sealed class ReflectionAuthTests
{
    [Fact]
    public async Task Reflection_ClientKeysConfigured_NeedsAKnownKey()
    {
        await using var host = await GatewayHost.StartAsync();

        var none = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(host, key: null));
        var wrong = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(host, TestKeys.Wrong));
        var v1 = await Assert.ThrowsAsync<RpcException>(() => ListServicesV1Async(host, key: null));

        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, v1.StatusCode);
        foreach (var key in new[] { TestKeys.Client, TestKeys.Admin, TestKeys.Owner })
        {
            Assert.Contains("guardgateway.v1.Policies", await ListServicesAsync(host, key));
        }

        Assert.Contains("guardgateway.v1.Moderation", await ListServicesV1Async(host, TestKeys.Client));
    }

    [Fact]
    public async Task Reflection_NoClientKeys_OpenForLocalDevelopment()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { WithKeys = false });

        Assert.Contains("guardgateway.v1.Moderation", await ListServicesAsync(host, key: null));
    }

    private static async Task WriteAsync<T>(IClientStreamWriter<T> requests, T request)
    {
        try
        {
            await requests.WriteAsync(request);
            await requests.CompleteAsync();
        }
        catch (RpcException)
        {
            // A refused call can end before the request is written; its real status comes from the response stream.
        }
    }

    private static async Task<IReadOnlyList<string>> ListServicesAsync(GatewayHost host, string? key)
    {
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo(GatewayHost.With(key));
        await WriteAsync(call.RequestStream, new ServerReflectionRequest { ListServices = string.Empty });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }

    private static async Task<IReadOnlyList<string>> ListServicesV1Async(GatewayHost host, string? key)
    {
        using var call = new ReflectionV1.ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo(GatewayHost.With(key));
        await WriteAsync(call.RequestStream, new ReflectionV1.ServerReflectionRequest { ListServices = string.Empty });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }
}
