namespace GuardGateway.Core.Moderation;

/// <summary>What the gateway does about a category or a whole message, ordered by severity.</summary>
public enum ModerationAction
{
    /// <summary>Let it through.</summary>
    Allow = 0,

    /// <summary>Let it through and mark it (metrics, response fields).</summary>
    Flag = 1,

    /// <summary>Remove the offending parts; becomes <see cref="Block"/> when they cannot be localized.</summary>
    Redact = 2,

    /// <summary>Refuse.</summary>
    Block = 3,
}
