namespace GuardGateway.Core.Results;

/// <summary>An expected failure with a message safe to show a caller (it never contains payload text).</summary>
/// <param name="Code">What kind of failure.</param>
/// <param name="Message">A specific, human-readable reason.</param>
public sealed record GuardError(GuardErrorCode Code, string Message)
{
    /// <summary>Shorthand for <see cref="GuardErrorCode.InvalidRequest"/>.</summary>
    public static GuardError Invalid(string message) => new(GuardErrorCode.InvalidRequest, message);

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
