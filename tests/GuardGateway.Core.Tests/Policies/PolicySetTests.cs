using GuardGateway.Core.Policies;
using GuardGateway.Core.Results;

namespace GuardGateway.Core.Tests.Policies;

public sealed class PolicySetTests
{
    private static ModerationPolicy P(string id, string format = "llama-guard-3-8b", string[]? keys = null, string[]? models = null) =>
        TestPolicies.Sample(id: id) with { FormatId = format, Bindings = new PolicyBindings(keys ?? [], models ?? []) };

    private static PolicySet Set(IEnumerable<string>? formats = null) => new(
        [P("default"), P("strict", keys: ["team-a"]), P("finance", models: ["fin-model"]), P("both", keys: ["team-b"], models: ["other-model"]), P("small", "llama-guard-3-1b", keys: ["team-1b"])],
        "default",
        formats,
        7,
        DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("strict", "team-b", "fin-model", "strict")]
    [InlineData(null, "team-a", "fin-model", "strict")]
    [InlineData("", "team-a", null, "strict")]
    [InlineData(null, "unknown-key", "fin-model", "finance")]
    [InlineData(null, null, "fin-model", "finance")]
    [InlineData(null, "team-b", "fin-model", "both")]
    [InlineData(null, null, "unbound-model", "default")]
    [InlineData(null, null, null, "default")]
    public void Select_Order_RequestThenKeyThenModelThenDefault(string? requested, string? key, string? model, string expected)
    {
        var selected = Set().Select(new PolicySelectionRequest(requested, key, model));

        Assert.Equal(expected, selected.GetValueOrThrow().Id);
    }

    [Fact]
    public void Select_UnknownRequestedId_PolicyNotFoundNoFallback()
    {
        var selected = Set().Select(new PolicySelectionRequest("nope", "team-a"));

        Assert.Equal(GuardErrorCode.PolicyNotFound, selected.Error!.Code);
        Assert.Contains("'nope'", selected.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_MissingDefault_PolicyUnavailable()
    {
        var set = new PolicySet([P("strict")], "default", null, 1, DateTimeOffset.UnixEpoch);

        Assert.Equal(GuardErrorCode.PolicyUnavailable, set.Select(new PolicySelectionRequest()).Error!.Code);
        Assert.Equal(GuardErrorCode.PolicyUnavailable, PolicySet.Empty("default", DateTimeOffset.UnixEpoch).Select(new PolicySelectionRequest()).Error!.Code);
    }

    [Fact]
    public void Select_FormatTheModelCannotServe_PolicyUnavailable()
    {
        var set = Set(["llama-guard-3-8b"]);

        Assert.Equal(GuardErrorCode.PolicyUnavailable, set.Select(new PolicySelectionRequest("small")).Error!.Code);
        Assert.Equal(GuardErrorCode.PolicyUnavailable, set.Select(new PolicySelectionRequest(ApiKeyId: "team-1b")).Error!.Code);
        Assert.True(set.Select(new PolicySelectionRequest("strict")).IsSuccess);
        Assert.True(Set().Select(new PolicySelectionRequest("small")).IsSuccess);
    }

    [Fact]
    public void Constructor_ClashingBindings_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PolicySet([P("a", keys: ["k"]), P("b", keys: ["k"])], "a", null, 1, DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentException>(() => new PolicySet([P("a", models: ["m"]), P("b", models: ["m"])], "a", null, 1, DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentException>(() => new PolicySet([P("a"), P("a")], "a", null, 1, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Policies_OrderedById_WithGeneration()
    {
        var set = Set();

        Assert.Equal(["both", "default", "finance", "small", "strict"], set.Policies.Select(p => p.Id));
        Assert.Equal(7, set.Generation);
    }
}
