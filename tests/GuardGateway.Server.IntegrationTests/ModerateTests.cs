using GuardGateway.Contracts.V1;
using GuardGateway.Server.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace GuardGateway.Server.IntegrationTests;

/// <summary>The Moderation service in memory, with the keyword fake guard.</summary>
public sealed class ModerateTests
{
    [Fact]
    public async Task Moderate_SafeInput_AllowsWithPolicyVersionAndModel()
    {
        await using var host = await GatewayHost.StartAsync();
        var versions = await host.Policies.ListPoliciesAsync(new ListPoliciesRequest(), GatewayHost.With(TestKeys.Admin));

        var response = await host.Moderation.ModerateAsync(Conversations.Input("What is the capital of France?"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Allow, response.Decision);
        Assert.Equal(Direction.Input, response.Direction);
        Assert.Equal("default", response.PolicyId);
        Assert.Equal(versions.Policies.Single(p => p.Id == "default").Version, response.PolicyVersion);
        Assert.Equal("keyword-fake", response.Model);
        Assert.False(response.NoVerdict);
        Assert.Empty(response.Refusal);
        Assert.Empty(response.ReportedCodes);
        Assert.Equal(["S1", "S6", "S7"], response.Categories.Select(c => c.Code));
        Assert.All(response.Categories, c => Assert.False(c.Reported));
        Assert.True(response.UnsafeProbability < 0.5f);
        Assert.NotEmpty(response.RequestId);
    }

    [Fact]
    public async Task Moderate_ViolentInput_BlocksWithRefusalAndReportedCategory()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = Conversations.Input("tell me about canary-violence please");
        request.RequestId = "req-42";

        var response = await host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client));

        Assert.Equal(Decision.Block, response.Decision);
        Assert.Equal("Blocked by test policy.", response.Refusal);
        Assert.Equal(["S1"], response.ReportedCodes);
        var s1 = response.Categories.Single(c => c.Code == "S1");
        Assert.True(s1.Reported);
        Assert.Equal(GuardGateway.Contracts.V1.Action.Block, s1.Action);
        Assert.Equal("Violent Crimes", s1.Name);
        Assert.Equal(0.5f, s1.Threshold);
        Assert.Equal("req-42", response.RequestId);
        Assert.Contains("S1", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_AdviceInOutput_FlagsButAdviceInInput_Allows()
    {
        await using var host = await GatewayHost.StartAsync();

        var output = await host.Moderation.ModerateAsync(Conversations.Output("q", "canary-advice answer"), GatewayHost.With(TestKeys.Client));
        var input = await host.Moderation.ModerateAsync(Conversations.Input("canary-advice question"), GatewayHost.With(TestKeys.Client));

        Assert.Equal(Direction.Output, output.Direction);
        Assert.Equal(Decision.Flag, output.Decision);
        Assert.Equal(Decision.Allow, input.Decision);
        Assert.Equal(GuardGateway.Contracts.V1.Action.Allow, input.Categories.Single(c => c.Code == "S6").Action);
    }

    [Fact]
    public async Task Moderate_ExplicitInputDirectionAfterAnswer_AssessesTheUserTurn()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = Conversations.Output("canary-violence question", "a harmless answer");
        request.Direction = Direction.Input;

        var response = await host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client));

        Assert.Equal(Direction.Input, response.Direction);
        Assert.Equal(Decision.Block, response.Decision);
    }

    [Fact]
    public async Task Moderate_NamedPolicy_UsesIt()
    {
        await using var host = await GatewayHost.StartAsync();

        var response = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence", policy: "lenient"), GatewayHost.With(TestKeys.Client));

        Assert.Equal("lenient", response.PolicyId);
        Assert.Equal(Decision.Flag, response.Decision);
    }

    [Fact]
    public async Task Moderate_UnknownPolicy_NotFound()
    {
        await using var host = await GatewayHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Moderation.ModerateAsync(Conversations.Input("hi", policy: "nope"), GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("POLICY_NOT_FOUND", StatusDetails.Info(error)?.Reason);
    }

    [Theory]
    [InlineData("system", "messages[0].role")]
    [InlineData("", "messages[0].role")]
    public async Task Moderate_InvalidRole_InvalidArgumentWithFieldViolation(string role, string field)
    {
        await using var host = await GatewayHost.StartAsync();
        var request = new ModerateRequest { Messages = { new Message { Role = role, Content = "canary-text" } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(StatusDetails.Violations(error)).Field);
        Assert.DoesNotContain("canary", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderate_RolesOutOfOrder_InvalidArgument()
    {
        await using var host = await GatewayHost.StartAsync();
        var request = new ModerateRequest { Messages = { new Message { Role = "assistant", Content = "x" }, new Message { Role = "user", Content = "y" } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(request, GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("INVALID_REQUEST", StatusDetails.Info(error)?.Reason);
    }

    [Fact]
    public async Task Moderate_EmptyConversation_InvalidArgument()
    {
        await using var host = await GatewayHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateAsync(new ModerateRequest(), GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("messages", Assert.Single(StatusDetails.Violations(error)).Field);
    }

    [Fact]
    public async Task ModerateBatch_MixedItems_EachGetsItsOwnResultInOrder()
    {
        await using var host = await GatewayHost.StartAsync();
        var batch = new ModerateBatchRequest
        {
            Requests =
            {
                Conversations.Input("hello"),
                Conversations.Input("canary-violence"),
                new ModerateRequest { Messages = { new Message { Role = "robot", Content = "x" } } },
                Conversations.Input("hi", policy: "missing"),
            },
        };

        var response = await host.Moderation.ModerateBatchAsync(batch, GatewayHost.With(TestKeys.Client));

        Assert.Equal(4, response.Results.Count);
        Assert.Equal(Decision.Allow, response.Results[0].Response.Decision);
        Assert.Equal(Decision.Block, response.Results[1].Response.Decision);
        Assert.Equal("INVALID_ARGUMENT", response.Results[2].Error.Code);
        Assert.Equal("INVALID_REQUEST", response.Results[2].Error.Reason);
        Assert.Equal("NOT_FOUND", response.Results[3].Error.Code);
    }

    [Fact]
    public async Task ModerateBatch_OverLimit_ResourceExhausted()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions { Configuration = { ["Limits:MaxBatchSize"] = "2" } });
        var batch = new ModerateBatchRequest { Requests = { Conversations.Input("a"), Conversations.Input("b"), Conversations.Input("c") } };

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Moderation.ModerateBatchAsync(batch, GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("BATCH_TOO_LARGE", StatusDetails.Info(error)?.Reason);
    }

    [Fact]
    public async Task Moderate_PolicyFormatTheModelCannotServe_FailedPrecondition()
    {
        await using var host = await GatewayHost.StartAsync(new GatewayHostOptions
        {
            ModelSource = new FakeModelSource(KeywordClassifier.Default(formats: ["llama-guard-3-8b"])),
        });
        await host.WaitForModelAsync();
        var yaml = TestPolicies.Default("small").Replace("llama-guard-3-8b", "llama-guard-3-1b", StringComparison.Ordinal);
        await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "small", Yaml = yaml }, GatewayHost.With(TestKeys.Admin));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Moderation.ModerateAsync(Conversations.Input("hi", policy: "small"), GatewayHost.With(TestKeys.Client)).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("POLICY_UNAVAILABLE", StatusDetails.Info(error)?.Reason);
    }

    [Fact]
    public async Task Moderate_PolicyBoundToClientKey_SelectedWhenRequestNamesNone()
    {
        await using var host = await GatewayHost.StartAsync();
        var keyId = Auth.ApiKeyRing.KeyIdOf(TestKeys.Client);
        var yaml = TestPolicies.Lenient("bound") + $"\nbindings:\n  api_keys: [{keyId}]\n";
        // Binding a client key to a policy that only flags S1 relaxes S1 for that key: a policy-owner change.
        await host.Policies.PutPolicyAsync(new PutPolicyRequest { Id = "bound", Yaml = yaml }, GatewayHost.With(TestKeys.Owner));

        var client = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence"), GatewayHost.With(TestKeys.Client));
        var admin = await host.Moderation.ModerateAsync(Conversations.Input("canary-violence"), GatewayHost.With(TestKeys.Admin));

        Assert.Equal("bound", client.PolicyId);
        Assert.Equal(Decision.Flag, client.Decision);
        Assert.Equal("default", admin.PolicyId);
        Assert.Equal(Decision.Block, admin.Decision);
    }
}
