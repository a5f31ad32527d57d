namespace GuardGateway.Server.Auth;

/// <summary>What a presented key entitles its bearer to.</summary>
internal enum CallerRole
{
    /// <summary>No key, or a key the server does not know.</summary>
    Anonymous,

    /// <summary>A configured client key: moderation calls.</summary>
    Client,

    /// <summary>A configured admin key: policy administration (and moderation).</summary>
    Admin,

    /// <summary>A configured policy-owner key: admin, plus changes that relax protected categories.</summary>
    PolicyOwner,
}
