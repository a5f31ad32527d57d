using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;

namespace GuardGateway.TextSafety.Tests;

/// <summary>S1 blocks both ways; the fail mode is the caller's.</summary>
internal static class TestPolicy
{
    public static ModerationPolicy Create(FailMode onError = FailMode.Closed) => new()
    {
        Id = "test",
        Version = "v1",
        FormatId = "llama-guard-3-8b",
        OnError = onError,
        Categories =
        [
            new PolicyCategory
            {
                Code = "S1",
                Name = "Violent Crimes",
                Prompt = "Violent Crimes.",
                Input = new DirectionRule(ModerationAction.Block, null),
                Output = new DirectionRule(ModerationAction.Block, null),
            },
        ],
    };
}
