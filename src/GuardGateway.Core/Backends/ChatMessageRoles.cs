namespace GuardGateway.Core.Backends;

/// <summary>Wire names of <see cref="ChatMessageRole"/>.</summary>
public static class ChatMessageRoles
{
    /// <summary>Parses a wire role name (exact, lower case). Unknown roles are rejected, never guessed.</summary>
    public static bool TryParse(string? name, out ChatMessageRole role)
    {
        switch (name)
        {
            case "system": role = ChatMessageRole.System; return true;
            case "developer": role = ChatMessageRole.Developer; return true;
            case "user": role = ChatMessageRole.User; return true;
            case "assistant": role = ChatMessageRole.Assistant; return true;
            case "tool": role = ChatMessageRole.Tool; return true;
            default: role = default; return false;
        }
    }

    /// <summary>The wire name of a role.</summary>
    public static string ToWireName(this ChatMessageRole role) => role switch
    {
        ChatMessageRole.System => "system",
        ChatMessageRole.Developer => "developer",
        ChatMessageRole.User => "user",
        ChatMessageRole.Assistant => "assistant",
        ChatMessageRole.Tool => "tool",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown chat message role."),
    };
}
