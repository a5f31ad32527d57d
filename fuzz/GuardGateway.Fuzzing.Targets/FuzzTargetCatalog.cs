using GuardGateway.Fuzzing.Targets.Targets;

namespace GuardGateway.Fuzzing.Targets;

/// <summary>Every T16 target, by name.</summary>
public static class FuzzTargetCatalog
{
    /// <summary>All targets, in a fixed order.</summary>
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new OpenAiJsonTarget(), new SseTarget(), new KServeTensorTarget(), new TextPromptTarget(), new GuardOutputTarget(), new PolicyTarget(),
    ];

    /// <summary>The target named <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
