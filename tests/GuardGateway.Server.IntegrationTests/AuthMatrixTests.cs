using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.Core;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>RELIABILITY.md T18: every admin method, enumerated from the service descriptor, under every kind of key.</summary>
public sealed class AuthMatrixTests
{
    public static TheoryData<string> AdminMethods()
    {
        var data = new TheoryData<string>();
        foreach (var method in PoliciesApi.Descriptor.Methods)
        {
            data.Add(method.Name);
        }

        return data;
    }

    [Fact]
    public void AdminMethods_Descriptor_ListsEverySixOperations()
    {
        Assert.Equal(
            ["DeletePolicy", "GetPolicy", "ListPolicies", "PutPolicy", "TestPolicy", "ValidatePolicy"],
            PoliciesApi.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AdminMethod_EveryKeyKind_OnlyAdminKeyPasses()
    {
        await using var host = await GatewayHost.StartAsync();
        foreach (var method in PoliciesApi.Descriptor.Methods)
        {
            var none = await CallAsync(host, method, key: null);
            Assert.True(none.StatusCode == StatusCode.Unauthenticated, $"{method.Name} without key: {none.StatusCode}");
            Assert.Equal("MISSING_API_KEY", none.Reason);

            var wrong = await CallAsync(host, method, TestKeys.Wrong);
            Assert.True(wrong.StatusCode == StatusCode.Unauthenticated, $"{method.Name} with wrong key: {wrong.StatusCode}");
            Assert.Equal("INVALID_API_KEY", wrong.Reason);

            var client = await CallAsync(host, method, TestKeys.Client);
            Assert.True(client.StatusCode == StatusCode.PermissionDenied, $"{method.Name} with client key: {client.StatusCode}");
            Assert.Equal("ADMIN_KEY_REQUIRED", client.Reason);

            // An empty request may be invalid for the operation, but it must get past authorization.
            var admin = await CallAsync(host, method, TestKeys.Admin);
            Assert.True(
                admin.StatusCode is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.Unimplemented),
                $"{method.Name} with admin key: {admin.StatusCode}");
        }
    }

    [Fact]
    public async Task AdminMethod_NoAdminKeysConfigured_EveryCallRefused()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            WithKeys = false,
            Configuration = { ["Auth:ClientKeys:0"] = TestKeys.Client },
        });
        foreach (var method in PoliciesApi.Descriptor.Methods)
        {
            foreach (var key in new[] { null, TestKeys.Client, TestKeys.Admin })
            {
                var result = await CallAsync(host, method, key);
                Assert.True(result.StatusCode == StatusCode.PermissionDenied, $"{method.Name}: {result.StatusCode}");
                Assert.Equal("ADMIN_DISABLED", result.Reason);
            }
        }
    }

    [Fact]
    public async Task Moderate_ClientKeysConfigured_NeedsClientOrAdminKey()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = Conversations.Input("hello there");

        var none = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(request, GatewayHost.With(null)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);

        var wrong = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Wrong)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);

        var malformed = new CallOptions(headers: new Metadata { { "authorization", "Basic " + TestKeys.Client } });
        var basic = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(request, malformed).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, basic.StatusCode);

        Assert.Equal(Decision.Allow, (await host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client))).Decision);
        Assert.Equal(Decision.Allow, (await host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Admin))).Decision);
    }

    [Fact]
    public async Task Moderate_NoClientKeysConfigured_OpenToAnyone()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { WithKeys = false });

        var response = await host.Moderation.ModerateAsync(Conversations.Input("hello there"), GatewayHost.With(null));

        Assert.Equal(Decision.Allow, response.Decision);
    }

    private static async Task<(StatusCode StatusCode, string? Reason)> CallAsync(GatewayHost host, MethodDescriptor method, string? key)
    {
        // Generic over the descriptor: an empty message is a valid encoding of every request type.
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var grpcMethod = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
        try
        {
            await host.Channel.CreateCallInvoker().AsyncUnaryCall(grpcMethod, null, GatewayHost.With(key), []);
            return (StatusCode.OK, null);
        }
        catch (RpcException exception)
        {
            return (exception.StatusCode, StatusDetails.Info(exception)?.Reason);
        }
    }
}
