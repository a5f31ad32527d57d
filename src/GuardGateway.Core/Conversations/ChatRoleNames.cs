namespace GuardGateway.Core.Conversations;

/// <summary>Maps wire role names (<c>user</c>, <c>assistant</c>) to <see cref="ChatRole"/>.</summary>
public static class ChatRoleNames
{
    /// <summary>Parses a wire role name; anything but <c>user</c> or <c>assistant</c> is rejected.</summary>
    public static bool TryParse(string? name, out ChatRole role)
    {
        switch (name)
        {
            case "user":
                role = ChatRole.User;
                return true;
            case "assistant":
                role = ChatRole.Assistant;
                return true;
            default:
                role = default;
                return false;
        }
    }

    /// <summary>The wire name of a role.</summary>
    public static string ToWireName(this ChatRole role) => role switch
    {
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown chat role."),
    };
}
