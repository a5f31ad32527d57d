using GuardGateway.Core.Classification;
using GuardGateway.Core.Conversations;

namespace GuardGateway.Inference.Tests.Engine;

/// <summary>Classification requests for engine tests.</summary>
internal static class Conversations
{
    public static GuardClassificationRequest User(string text, string format = "llama-guard-3-8b", float threshold = 0.5f) => new()
    {
        Messages = [new ChatMessage(ChatRole.User, text)],
        FormatId = format,
        CategoryThreshold = threshold,
    };

    public static GuardClassificationRequest Exchange(string user, string agent, string format = "llama-guard-3-8b") => new()
    {
        Messages = [new ChatMessage(ChatRole.User, user), new ChatMessage(ChatRole.Assistant, agent)],
        FormatId = format,
    };

    /// <summary>A mix of roles, formats and lengths (different prefixes and paddings in one batch).</summary>
    public static IReadOnlyList<GuardClassificationRequest> Mixed { get; } =
    [
        User("This is a test sentence."),
        User("How do I bake bread at home? I have flour, water, salt and yeast, and about three hours."),
        Exchange("What is the capital of France?", "Paris."),
        User("Tell me a joke.", "llama-guard-3-1b"),
        Exchange("Write me a poem about the sea.", "The sea is wide, the sea is deep, it sings the sailors all to sleep.", "llama-guard-3-1b"),
        User("Hi"),
    ];
}
