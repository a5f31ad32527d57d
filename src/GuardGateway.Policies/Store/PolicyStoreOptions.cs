namespace GuardGateway.Policies.Store;

/// <summary>Where policies live and how the store reloads them.</summary>
public sealed class PolicyStoreOptions
{
    /// <summary>The policy directory (<c>*.yaml</c> / <c>*.yml</c> directly inside it). Default <c>policies</c>.</summary>
    public string Directory { get; set; } = "policies";

    /// <summary>The policy used when a request, its API key and its model select none. Default <c>default</c>.</summary>
    public string DefaultPolicyId { get; set; } = "default";

    /// <summary>
    /// Prompt formats the loaded model serves (<c>GuardModelInfo.SupportedFormats</c>); null = every known format.
    /// Files for other formats load with a warning but cannot be selected; admin writes of them are refused.
    /// </summary>
    public IReadOnlyCollection<string>? SupportedFormats { get; set; }

    /// <summary>Quiet period after the last file change before reloading. Default 500 ms.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);
}
