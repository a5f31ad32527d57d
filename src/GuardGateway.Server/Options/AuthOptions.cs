namespace GuardGateway.Server.Options;

/// <summary>API keys (configuration section <c>Auth</c>). Keys travel as <c>authorization: Bearer &lt;key&gt;</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>Keys allowed to call the Moderation service. Empty (the default) = no client authentication.</summary>
    public IList<string> ClientKeys { get; } = [];

    /// <summary>Keys allowed to call the Policies (admin) service. Empty (the default) = every admin call is refused.</summary>
    public IList<string> AdminKeys { get; } = [];

    /// <summary>
    /// Policy-owner (elevated admin) keys: everything an admin key may do, plus changes that relax a protected
    /// category (<see cref="ProtectedCategories"/>). Empty (the default) = no one can relax them through the API.
    /// </summary>
    public IList<string> PolicyOwnerKeys { get; } = [];

    /// <summary>
    /// Category codes whose relaxation needs a policy-owner key. Empty (the default) = S1, S4, S9
    /// (<see cref="GuardGateway.Policies.PolicyRelaxations.DefaultProtectedCodes"/>).
    /// </summary>
    public IList<string> ProtectedCategories { get; } = [];

    /// <summary>The protected codes in effect (the configured ones, else the defaults).</summary>
    internal IReadOnlyCollection<string> EffectiveProtectedCategories =>
        ProtectedCategories.Count > 0 ? [.. ProtectedCategories] : GuardGateway.Policies.PolicyRelaxations.DefaultProtectedCodes;

    /// <summary>Shortest key accepted, in characters (default 16): short keys are guessable.</summary>
    public int MinimumKeyLength { get; set; } = 16;
}
