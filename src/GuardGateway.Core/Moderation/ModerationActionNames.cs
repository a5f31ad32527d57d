namespace GuardGateway.Core.Moderation;

/// <summary>Maps policy/wire action names (<c>allow</c>, <c>flag</c>, <c>redact</c>, <c>block</c>) to <see cref="ModerationAction"/>.</summary>
public static class ModerationActionNames
{
    /// <summary>Every action name, least severe first.</summary>
    public static IReadOnlyList<string> All { get; } = ["allow", "flag", "redact", "block"];

    /// <summary>Parses an action name (exact, lower case).</summary>
    public static bool TryParse(string? name, out ModerationAction action)
    {
        switch (name)
        {
            case "allow":
                action = ModerationAction.Allow;
                return true;
            case "flag":
                action = ModerationAction.Flag;
                return true;
            case "redact":
                action = ModerationAction.Redact;
                return true;
            case "block":
                action = ModerationAction.Block;
                return true;
            default:
                action = default;
                return false;
        }
    }

    /// <summary>The lower-case name of an action.</summary>
    public static string ToWireName(this ModerationAction action) => action switch
    {
        ModerationAction.Allow => "allow",
        ModerationAction.Flag => "flag",
        ModerationAction.Redact => "redact",
        ModerationAction.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown moderation action."),
    };
}
