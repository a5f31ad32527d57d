using GuardGateway.Contracts.V1;
using GuardGateway.Server.Auth;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>The Policies admin service: validate, put, delete with optimistic concurrency, dry runs, audit.</summary>
public sealed class PolicyAdminTests
{
    private static readonly CallOptions Admin = GatewayHost.With(TestKeys.Admin);

    // Relaxing S1 (block -> flag) needs a policy-owner key (T18).
    private static readonly CallOptions Owner = GatewayHost.With(TestKeys.Owner);

    [Fact]
    public async Task ListAndGet_ShippedTestPolicies_ReturnsSummariesAndYaml()
    {
        await using var host = await GatewayHost.StartAsync();

        var list = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), Admin);
        var get = await host.Policies.GetPolicyAsync(new GetPolicyRequest { Id = "default" }, Admin);

        Assert.Equal(["default", "lenient", "open"], list.Policies.Select(p => p.Id));
        Assert.True(list.Policies.Single(p => p.Id == "default").IsDefault);
        Assert.Equal("open", list.Policies.Single(p => p.Id == "open").OnError);
        Assert.Equal(TestPolicies.Default(), get.Yaml);
        Assert.Equal(3, get.Policy.CategoryCount);
    }

    [Fact]
    public async Task GetPolicy_Unknown_NotFound()
    {
        await using var host = await GatewayHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.GetPolicyAsync(new GetPolicyRequest { Id = "nope" }, Admin).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ValidatePolicy_TwoErrors_ReportsBothWithLineAndColumn()
    {
        await using var host = await GatewayHost.StartAsync();

        var result = await host.Policies.ValidatePolicyAsync(new ValidatePolicyRequest { Yaml = TestPolicies.Broken() }, Admin);

        Assert.False(result.Valid);
        var errors = result.Diagnostics.Where(d => d.Severity == "error").ToList();
        Assert.Contains(errors, d => d.Line == 3 && d.Column > 0);
        Assert.Contains(errors, d => d.Line == 4 && d.Column > 0);
        Assert.All(errors, d => Assert.NotEmpty(d.Code));
    }

    [Fact]
    public async Task ValidatePolicy_ValidText_ReturnsSummary()
    {
        await using var host = await GatewayHost.StartAsync();

        var result = await host.Policies.ValidatePolicyAsync(new ValidatePolicyRequest { Yaml = TestPolicies.Default("fresh") }, Admin);

        Assert.True(result.Valid);
        Assert.Equal("fresh", result.Policy.Id);
    }

    [Fact]
    public async Task PutPolicy_InvalidYaml_InvalidArgumentWithLineColumnViolations()
    {
        await using var host = await GatewayHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "broken", Yaml = TestPolicies.Broken() }, Admin).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("POLICY_INVALID", StatusDetails.Info(error)?.Reason);
        var violations = StatusDetails.Violations(error);
        Assert.Contains(violations, v => v.Field == "yaml" && v.Description.StartsWith("3:", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Field == "yaml" && v.Description.StartsWith("4:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutPolicy_CreateUpdateConflictDelete_FollowsVersionsAndAudits()
    {
        await using var host = await GatewayHost.StartAsync();

        var created = await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "team", Yaml = TestPolicies.Default("team") }, Admin);
        var duplicate = await Assert.ThrowsAsync<RpcException>(() =>
            host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "team", Yaml = TestPolicies.Default("team") }, Admin).ResponseAsync);
        var stale = await Assert.ThrowsAsync<RpcException>(() =>
            host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "team", Yaml = TestPolicies.Lenient("team"), ExpectedVersion = "not-the-version" }, Owner).ResponseAsync);
        var updated = await host.Policies.PutPolicyAsync(
            new PutPolicyRequest { Id = "team", Yaml = TestPolicies.Lenient("team"), ExpectedVersion = created.Policy.Version }, Owner);
        var decision = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence", policy: "team"), GatewayHost.With(TestKeys.Client));
        var staleDelete = await Assert.ThrowsAsync<RpcException>(() =>
            host.Policies.DeletePolicyAsync(new DeletePolicyRequest { Id = "team", ExpectedVersion = created.Policy.Version }, Admin).ResponseAsync);
        var deleted = await host.Policies.DeletePolicyAsync(new DeletePolicyRequest { Id = "team", ExpectedVersion = updated.Policy.Version }, Admin);
        var gone = await Assert.ThrowsAsync<RpcException>(() =>
            host.Moderation.ModerateAsync(Conversations.Input("hi", policy: "team"), GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.Aborted, duplicate.StatusCode);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal("VERSION_CONFLICT", StatusDetails.Info(stale)?.Reason);
        Assert.Equal(created.Policy.Version, StatusDetails.Info(stale)?.Metadata["current_version"]);
        Assert.NotEqual(created.Policy.Version, updated.Policy.Version);
        Assert.Equal(created.Policy.Version, updated.PreviousVersion);
        Assert.Equal(updated.Policy.Version, decision.PolicyVersion);
        Assert.Equal(Decision.Flag, decision.Decision);
        Assert.Equal(StatusCode.Aborted, staleDelete.StatusCode);
        Assert.Equal(updated.Policy.Version, deleted.DeletedVersion);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);

        // One audit record per applied admin change (the initial load audits as file-reload), naming the admin
        // key id and never the key.
        var adminId = ApiKeyRing.KeyIdOf(TestKeys.Admin);
        var ownerId = ApiKeyRing.KeyIdOf(TestKeys.Owner);
        var audits = host.Logs
            .Where(r => r.Id.Id == 400 && (r.Category?.EndsWith("LoggingPolicyAuditSink", StringComparison.Ordinal) ?? false))
            .Where(r => r.Message.Contains(adminId, StringComparison.Ordinal) || r.Message.Contains(ownerId, StringComparison.Ordinal))
            .Select(r => r.Message)
            .ToList();
        Assert.Equal(3, audits.Count);
        Assert.Contains("created: team", audits[0], StringComparison.Ordinal);
        Assert.Contains("updated: team", audits[1], StringComparison.Ordinal);
        Assert.Contains("deleted: team", audits[2], StringComparison.Ordinal);
        Assert.Contains(ownerId, audits[1], StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs, r => r.Message.Contains(TestKeys.Admin, StringComparison.Ordinal) || r.Message.Contains(TestKeys.Owner, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletePolicy_WithoutExpectedVersion_InvalidArgument()
    {
        await using var host = await GatewayHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Policies.DeletePolicyAsync(new DeletePolicyRequest { Id = "lenient" }, Admin).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task TestPolicy_DryRun_DecidesWithoutStoring()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = new TestPolicyRequest
        {
            Yaml = TestPolicies.Lenient("draft"),
            Messages = { new Message { Role = "user", Content = "canary-violence" } },
        };

        var result = await host.Policies.TestPolicyAsync(request, Admin);
        var list = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), Admin);

        Assert.Equal(Decision.Flag, result.Result.Decision);
        Assert.Equal("draft", result.Result.PolicyId);
        Assert.DoesNotContain(list.Policies, p => p.Id == "draft");
    }

    [Fact]
    public async Task TestPolicy_InvalidYaml_InvalidArgument()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = new TestPolicyRequest { Yaml = TestPolicies.Broken(), Messages = { new Message { Role = "user", Content = "x" } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Policies.TestPolicyAsync(request, Admin).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.NotEmpty(StatusDetails.Violations(error));
    }
}
