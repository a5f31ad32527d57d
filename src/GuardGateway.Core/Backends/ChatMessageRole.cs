namespace GuardGateway.Core.Backends;

/// <summary>The author of a chat message, as OpenAI-compatible servers name it.</summary>
public enum ChatMessageRole
{
    /// <summary><c>system</c>.</summary>
    System,

    /// <summary><c>developer</c> (newer OpenAI name for system instructions).</summary>
    Developer,

    /// <summary><c>user</c>.</summary>
    User,

    /// <summary><c>assistant</c>.</summary>
    Assistant,

    /// <summary><c>tool</c>: the result of a tool call.</summary>
    Tool,
}
