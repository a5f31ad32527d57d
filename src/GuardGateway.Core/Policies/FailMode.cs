namespace GuardGateway.Core.Policies;

/// <summary>What to do when there is no verdict (classifier error, timeout, queue full, parse failure).</summary>
public enum FailMode
{
    /// <summary>Block (the default).</summary>
    Closed,

    /// <summary>Allow: fail-open, only when a policy says so explicitly, and always visible (metric and response).</summary>
    Open,
}
