using GuardGateway.Contracts.V1;
using GuardGateway.Core.Policies;
using GuardGateway.Server.Auth;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PoliciesApi = GuardGateway.Contracts.V1.Policies;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>
/// RELIABILITY.md T18: every admin method, enumerated from the Policies service descriptor, called
/// unauthenticated, with a wrong key, with a client key, with invalid input, with an admin key on a
/// relaxation of a protected category (ELEVATION_REQUIRED), and successfully with the right key; every
/// successful change must produce exactly one audit record naming the key id and the old/new versions.
/// </summary>
public sealed class AdminSecurityTests
{
    /// <summary>A policy that only flags S1 (protected by default): any admin write of it relaxes S1.</summary>
    private static readonly string LenientTeam = TestPolicies.Lenient("team");

    /// <summary>Per method: an invalid request (null when the method has no input that can be invalid), a valid one, a relaxation (null when it changes nothing).</summary>
    private static readonly Dictionary<string, MethodCase> Cases = new(StringComparer.Ordinal)
    {
        ["ListPolicies"] = new(Invalid: null, Valid: _ => new ListPoliciesRequest(), Relaxation: null),
        ["GetPolicy"] = new(Invalid: new GetPolicyRequest(), Valid: _ => new GetPolicyRequest { Id = "default" }, Relaxation: null),

        // Validation answers invalid text with valid=false and diagnostics, not with an error (asserted below).
        ["ValidatePolicy"] = new(Invalid: null, Valid: _ => new ValidatePolicyRequest { Yaml = TestPolicies.Default("fresh") }, Relaxation: null),
        ["PutPolicy"] = new(
            Invalid: new PutPolicyRequest { Id = "broken", Yaml = TestPolicies.Broken() },
            Valid: _ => new PutPolicyRequest { Id = "team", Yaml = TestPolicies.Default("team") },
            Relaxation: _ => new PutPolicyRequest { Id = "lenient2", Yaml = TestPolicies.Lenient("lenient2") }),
        ["DeletePolicy"] = new(
            Invalid: new DeletePolicyRequest { Id = "open" },
            Valid: version => new DeletePolicyRequest { Id = "team", ExpectedVersion = version! },
            Relaxation: _ => new DeletePolicyRequest { Id = "guarded", ExpectedVersion = PolicyVersions.Any }),
        ["TestPolicy"] = new(
            Invalid: new TestPolicyRequest { Yaml = TestPolicies.Broken(), Messages = { new Message { Role = "user", Content = "x" } } },
            Valid: _ => new TestPolicyRequest { Yaml = TestPolicies.Default("draft"), Messages = { new Message { Role = "user", Content = "hello" } } },
            Relaxation: null),
    };

    [Fact]
    public void Cases_CoverEveryAdminMethodOfTheDescriptor()
    {
        Assert.Equal(
            PoliciesApi.Descriptor.Methods.Select(m => m.Name).Order(StringComparer.Ordinal),
            Cases.Keys.Order(StringComparer.Ordinal));
        Assert.All(PoliciesApi.Descriptor.Methods, m => Assert.False(m.IsClientStreaming || m.IsServerStreaming, m.Name));
    }

    [Fact]
    public async Task AdminMethods_EveryCallKind_StatusAndAuditAsSpecified()
    {
        var audit = new RecordingAuditSink();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            Services = services => services.AddSingleton<IPolicyAuditSink>(audit),
        });

        // A policy bound to the client key that protects S4 (the default policy does not): deleting it sends
        // the client to the default, which relaxes S4. An admin may create it (it relaxes nothing).
        var guarded = TestPolicies.Default("guarded") + $"""

              - code: S4
                input: block
                output: block
            bindings:
              api_keys: [{ApiKeyRing.KeyIdOf(TestKeys.Client)}]
            """;
        var created = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "guarded", Yaml = guarded }, GatewayHost.With(TestKeys.Admin));
        var changes = new List<(string Id, string? Old, string? New, string KeyId)> { ("guarded", null, created.Policy.Version, ApiKeyRing.KeyIdOf(TestKeys.Admin)) };

        string? teamVersion = null;
        foreach (var method in PoliciesApi.Descriptor.Methods.OrderBy(m => m.Name == "DeletePolicy"))
        {
            var test = Cases[method.Name];

            var none = await CallAsync(host, method, test.Valid(teamVersion), key: null);
            Assert.True((none.Status, none.Reason) == (StatusCode.Unauthenticated, "MISSING_API_KEY"), $"{method.Name} without key: {none}");
            var wrong = await CallAsync(host, method, test.Valid(teamVersion), TestKeys.Wrong);
            Assert.True((wrong.Status, wrong.Reason) == (StatusCode.Unauthenticated, "INVALID_API_KEY"), $"{method.Name} wrong key: {wrong}");
            var client = await CallAsync(host, method, test.Valid(teamVersion), TestKeys.Client);
            Assert.True((client.Status, client.Reason) == (StatusCode.PermissionDenied, "ADMIN_KEY_REQUIRED"), $"{method.Name} client key: {client}");

            if (test.Invalid is { } invalid)
            {
                var bad = await CallAsync(host, method, invalid, TestKeys.Admin);
                Assert.True(bad.Status == StatusCode.InvalidArgument, $"{method.Name} invalid input: {bad}");
            }

            if (test.Relaxation is { } relaxation)
            {
                var before = host.Services.GetRequiredService<IPolicyStore>().Current;
                var denied = await CallAsync(host, method, relaxation(teamVersion), TestKeys.Admin);
                Assert.True((denied.Status, denied.Reason) == (StatusCode.PermissionDenied, "ELEVATION_REQUIRED"), $"{method.Name} admin relaxation: {denied}");
                Assert.False(string.IsNullOrEmpty(denied.Metadata?["relaxations"]), method.Name);
                Assert.Same(before, host.Services.GetRequiredService<IPolicyStore>().Current);

                var owned = await CallAsync(host, method, relaxation(teamVersion), TestKeys.Owner);
                Assert.True(owned.Status == StatusCode.OK, $"{method.Name} owner relaxation: {owned}");
                changes.Add(ChangeOf(method.Name, owned.Response!, before, TestKeys.Owner));
            }

            var beforeValid = host.Services.GetRequiredService<IPolicyStore>().Current;
            var ok = await CallAsync(host, method, test.Valid(teamVersion), TestKeys.Admin);
            Assert.True(ok.Status == StatusCode.OK, $"{method.Name} admin key: {ok}");
            if (method.Name is "PutPolicy" or "DeletePolicy")
            {
                changes.Add(ChangeOf(method.Name, ok.Response!, beforeValid, TestKeys.Admin));
            }

            if (method.Name == "PutPolicy")
            {
                teamVersion = PutPolicyResponse.Parser.ParseFrom(ok.Response).Policy.Version;
            }

            if (method.Name == "ValidatePolicy")
            {
                var broken = await host.Policies.ValidatePolicyAsync(new ValidatePolicyRequest { Yaml = TestPolicies.Broken() }, GatewayHost.With(TestKeys.Admin));
                Assert.False(broken.Valid);
                Assert.NotEmpty(broken.Diagnostics);
            }
        }

        // 100 % of successful changes audited, once each, with who / what / old and new version.
        var recorded = audit.Records.Where(r => r.Actor != "file-reload")
            .Select(r => (r.PolicyId, r.OldVersion, r.NewVersion, r.Actor))
            .ToList();
        Assert.Equal(5, changes.Count);
        Assert.Equal(changes, recorded);
    }

    [Fact]
    public async Task PutPolicy_AdminKeyRelaxesS1_ElevationRequiredWithDetailsAndNothingChanges()
    {
        var audit = new RecordingAuditSink();
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { Services = s => s.AddSingleton<IPolicyAuditSink>(audit) });
        var current = await host.Policies.GetPolicyAsync(new GetPolicyRequest { Id = "default" }, GatewayHost.With(TestKeys.Admin));

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "default", Yaml = TestPolicies.Lenient("default"), ExpectedVersion = PolicyVersions.Any },
            GatewayHost.With(TestKeys.Admin)).ResponseAsync);
        var after = await host.Policies.GetPolicyAsync(new GetPolicyRequest { Id = "default" }, GatewayHost.With(TestKeys.Admin));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        var info = StatusDetails.Info(error)!;
        Assert.Equal("ELEVATION_REQUIRED", info.Reason);
        Assert.Equal("default", info.Metadata["policy_id"]);
        Assert.Equal("S1,S4,S9", info.Metadata["protected_categories"]);
        Assert.Contains("S1 input action block -> flag", info.Metadata["relaxations"], StringComparison.Ordinal);
        Assert.Contains("S1 output action block -> flag", info.Metadata["relaxations"], StringComparison.Ordinal);
        Assert.Equal(current.Policy.Version, after.Policy.Version);
        Assert.DoesNotContain(audit.Records, r => r.Actor != "file-reload");
    }

    [Fact]
    public async Task PutPolicy_AdminKeyTightensOrKeepsProtection_Allowed()
    {
        await using var host = await GatewayHost.StartAsync();
        var admin = GatewayHost.With(TestKeys.Admin);

        // Fail-closed, S1 still blocking, a stricter threshold and an extra category: no relaxation.
        var stricter = TestPolicies.Default("default").Replace("threshold: 0.5", "threshold: 0.3", StringComparison.Ordinal);
        var put = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "default", Yaml = stricter, ExpectedVersion = PolicyVersions.Any }, admin);
        var failOpen = await Assert.ThrowsAsync<RpcException>(() => host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "default", Yaml = TestPolicies.FailOpen("default"), ExpectedVersion = put.Policy.Version }, admin).ResponseAsync);

        Assert.NotEqual(put.PreviousVersion, put.Policy.Version);
        Assert.Equal("ELEVATION_REQUIRED", StatusDetails.Info(failOpen)?.Reason);
        Assert.Contains("fail-open", StatusDetails.Info(failOpen)!.Metadata["relaxations"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutPolicy_BindingClientKeyToLenientPolicy_ElevationRequired()
    {
        await using var host = await GatewayHost.StartAsync();

        // "lenient" already exists (loaded from disk); binding the client key to it moves that key off the
        // default, which blocks S1.
        var current = await host.Policies.GetPolicyAsync(new GetPolicyRequest { Id = "lenient" }, GatewayHost.With(TestKeys.Admin));
        var yaml = TestPolicies.Lenient() + $"\nbindings:\n  api_keys: [{ApiKeyRing.KeyIdOf(TestKeys.Client)}]\n";
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "lenient", Yaml = yaml, ExpectedVersion = current.Policy.Version }, GatewayHost.With(TestKeys.Admin)).ResponseAsync);

        Assert.Equal("ELEVATION_REQUIRED", StatusDetails.Info(error)?.Reason);
        Assert.Contains("api key " + ApiKeyRing.KeyIdOf(TestKeys.Client), StatusDetails.Info(error)!.Metadata["relaxations"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletePolicy_UnboundPolicy_AdminAllowed()
    {
        await using var host = await GatewayHost.StartAsync();

        // Requests naming a deleted policy fail closed (NOT_FOUND): no relaxation.
        var deleted = await host.Policies.DeletePolicyAsync(new DeletePolicyRequest { Id = "lenient", ExpectedVersion = PolicyVersions.Any }, GatewayHost.With(TestKeys.Admin));

        Assert.NotEmpty(deleted.DeletedVersion);
    }

    [Fact]
    public async Task PutPolicy_ConfiguredProtectedCategories_OnlyThoseNeedElevation()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { Configuration = { ["Auth:ProtectedCategories:0"] = "S7" } });
        var admin = GatewayHost.With(TestKeys.Admin);

        // S1 is no longer protected: an admin may relax it. S7 is: block -> allow on input needs the owner.
        var lenient = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "default", Yaml = TestPolicies.Lenient("default"), ExpectedVersion = PolicyVersions.Any }, admin);
        var noS7 = TestPolicies.Lenient("default").Replace("    input: block\n    output: redact", "    input: allow\n    output: redact", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "default", Yaml = noS7, ExpectedVersion = lenient.Policy.Version }, admin).ResponseAsync);
        var owned = await host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "default", Yaml = noS7, ExpectedVersion = lenient.Policy.Version }, GatewayHost.With(TestKeys.Owner));

        Assert.Equal("ELEVATION_REQUIRED", StatusDetails.Info(error)?.Reason);
        Assert.Equal("S7 input action block -> allow", StatusDetails.Info(error)!.Metadata["relaxations"]);
        Assert.Equal(lenient.Policy.Version, owned.PreviousVersion);
    }

    [Fact]
    public async Task PutPolicy_NoPolicyOwnerKeysConfigured_RelaxationRefusedToEveryone()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            WithKeys = false,
            Configuration = { ["Auth:ClientKeys:0"] = TestKeys.Client, ["Auth:AdminKeys:0"] = TestKeys.Admin },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "default", Yaml = TestPolicies.Lenient("default"), ExpectedVersion = PolicyVersions.Any }, GatewayHost.With(TestKeys.Admin)).ResponseAsync);
        var owner = await Assert.ThrowsAsync<RpcException>(() => host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), GatewayHost.With(TestKeys.Owner)).ResponseAsync);

        Assert.Equal("ELEVATION_REQUIRED", StatusDetails.Info(error)?.Reason);
        Assert.Equal(StatusCode.Unauthenticated, owner.StatusCode);
    }

    [Fact]
    public async Task PolicyOwnerKeys_OnlyOwnerKeysConfigured_AdminApiEnabledForThem()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            WithKeys = false,
            Configuration = { ["Auth:PolicyOwnerKeys:0"] = TestKeys.Owner },
        });

        var list = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), GatewayHost.With(TestKeys.Owner));
        var admin = await Assert.ThrowsAsync<RpcException>(() => host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), GatewayHost.With(TestKeys.Admin)).ResponseAsync);

        Assert.NotEmpty(list.Policies);
        Assert.Equal(StatusCode.Unauthenticated, admin.StatusCode);
    }

    [Fact]
    public async Task Start_OwnerKeyReusedAndBadProtectedCategory_FailsWithEveryProblem()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(new GatewayHostOptions
        {
            Configuration = { ["Auth:PolicyOwnerKeys:0"] = TestKeys.Admin, ["Auth:ProtectedCategories:0"] = "violence" },
        }));

        Assert.Contains(error.Failures, f => f.Contains("Auth:PolicyOwnerKeys and in Auth:ClientKeys or Auth:AdminKeys", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Auth:ProtectedCategories[0]", StringComparison.Ordinal));
    }

    private static (string Id, string? Old, string? New, string KeyId) ChangeOf(string method, byte[] response, PolicySet before, string key)
    {
        var keyId = ApiKeyRing.KeyIdOf(key);
        if (method == "PutPolicy")
        {
            var put = PutPolicyResponse.Parser.ParseFrom(response);
            var old = before.Find(put.Policy.Id)?.Version;
            Assert.Equal(old ?? string.Empty, put.PreviousVersion);
            Assert.NotEqual(old, put.Policy.Version);
            return (put.Policy.Id, old, put.Policy.Version, keyId);
        }

        var deleted = DeletePolicyResponse.Parser.ParseFrom(response);
        var id = before.Policies.Single(p => p.Version == deleted.DeletedVersion).Id;
        return (id, deleted.DeletedVersion, null, keyId);
    }

    private static async Task<CallResult> CallAsync(GatewayHost host, MethodDescriptor method, IMessage request, string? key)
    {
        // Generic over the descriptor: the request is sent as bytes, the response kept as bytes.
        var marshaller = Marshallers.Create(static (byte[] b) => b, static b => b);
        var grpcMethod = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
        Assert.Equal(method.InputType.FullName, request.Descriptor.FullName);
        try
        {
            var response = await host.Channel.CreateCallInvoker().AsyncUnaryCall(grpcMethod, null, GatewayHost.With(key), request.ToByteArray());
            return new CallResult(StatusCode.OK, null, null, response);
        }
        catch (RpcException exception)
        {
            var info = StatusDetails.Info(exception);
            return new CallResult(exception.StatusCode, info?.Reason, info?.Metadata.ToDictionary(), null);
        }
    }

    private sealed record MethodCase(IMessage? Invalid, Func<string?, IMessage> Valid, Func<string?, IMessage>? Relaxation);

    private sealed record CallResult(StatusCode Status, string? Reason, IReadOnlyDictionary<string, string>? Metadata, byte[]? Response)
    {
        public override string ToString() => $"{Status} {Reason}";
    }
}
