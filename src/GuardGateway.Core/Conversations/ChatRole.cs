namespace GuardGateway.Core.Conversations;

/// <summary>The author of a conversation turn, as Llama Guard 3 sees it.</summary>
public enum ChatRole
{
    /// <summary>A person talking to the model (rendered <c>User:</c>).</summary>
    User,

    /// <summary>The model's answer (rendered <c>Agent:</c>).</summary>
    Assistant,
}
