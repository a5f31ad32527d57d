namespace GuardGateway.Cli.PolicyTests;

/// <summary>
/// A policy author's regression suite (<c>guardctl policy test FILE</c>): sample conversations with the
/// decisions they must get. Paths are relative to the file.
/// </summary>
internal sealed class PolicyTestFile
{
    /// <summary>A policy file or a directory of policies. Default: <c>policies</c> beside the test file.</summary>
    public string? Policies { get; set; }

    /// <summary>The default policy id of that directory (as the server's <c>Guard:DefaultPolicy</c>). Default <c>default</c>.</summary>
    public string? DefaultPolicy { get; set; }

    /// <summary>A model directory, or <c>demo</c> for the planted demo guard. Overridden by <c>--model</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The cases.</summary>
    public List<PolicyTestCase> Cases { get; set; } = [];
}
