namespace GuardGateway.Core.Moderation;

/// <summary>Which side of the model a message is on.</summary>
public enum ModerationDirection
{
    /// <summary>User input, assessed as <c>User</c>.</summary>
    Input,

    /// <summary>Model output, assessed as <c>Agent</c> with the conversation as context.</summary>
    Output,
}
