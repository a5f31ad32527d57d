using GuardGateway.Core.Moderation;
using GuardGateway.Core.Policies;

namespace GuardGateway.Core.Tests;

/// <summary>Small policies for table tests.</summary>
internal static class TestPolicies
{
    public static PolicyCategory Category(string code, string name, ModerationAction input, ModerationAction output, float? inputThreshold = null, float? outputThreshold = null) => new()
    {
        Code = code,
        Name = name,
        Prompt = name + ".",
        Input = new DirectionRule(input, inputThreshold),
        Output = new DirectionRule(output, outputThreshold),
    };

    /// <summary>S1 block/block, S6 allow/flag@0.7, S7 block/redact, S8 flag/flag, S9 block/block (excluded).</summary>
    public static ModerationPolicy Sample(FailMode onError = FailMode.Closed, string id = "sample", string version = "v1") => new()
    {
        Id = id,
        Version = version,
        FormatId = "llama-guard-3-8b",
        Threshold = 0.5f,
        OnError = onError,
        Categories =
        [
            Category("S1", "Violent Crimes", ModerationAction.Block, ModerationAction.Block),
            Category("S6", "Specialized Advice", ModerationAction.Allow, ModerationAction.Flag, outputThreshold: 0.7f),
            Category("S7", "Privacy", ModerationAction.Block, ModerationAction.Redact),
            Category("S8", "Intellectual Property", ModerationAction.Flag, ModerationAction.Flag, inputThreshold: 0.3f),
            Category("S9", "Indiscriminate Weapons", ModerationAction.Block, ModerationAction.Block, inputThreshold: 0.05f),
        ],
        Exclude = ["S9"],
    };
}
