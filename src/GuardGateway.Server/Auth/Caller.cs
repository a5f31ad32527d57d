namespace GuardGateway.Server.Auth;

/// <summary>The authenticated caller of one gRPC call.</summary>
/// <param name="Role">The role the key grants.</param>
/// <param name="KeyId">A derived, non-secret id of the key (<see cref="ApiKeyRing.KeyIdOf"/>); null when anonymous.</param>
internal sealed record Caller(CallerRole Role, string? KeyId)
{
    /// <summary>A caller without a (known) key.</summary>
    public static Caller Anonymous { get; } = new(CallerRole.Anonymous, null);
}
