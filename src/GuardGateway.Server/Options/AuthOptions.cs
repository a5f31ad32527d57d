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

    /// <summary>Shortest key accepted, in characters (default 16): short keys are guessable.</summary>
    public int MinimumKeyLength { get; set; } = 16;
}
