namespace GuardGateway.Server.Hosting;

/// <summary>Default locations when configuration leaves them empty: the repository (or app) folder's <c>policies</c> and <c>.cache</c>.</summary>
internal static class ServerPaths
{
    /// <summary>The nearest <c>policies</c> folder above the app or the working directory; null when there is none.</summary>
    public static string? FindPoliciesDirectory() =>
        FindUpwards(AppContext.BaseDirectory, "policies") ?? FindUpwards(Directory.GetCurrentDirectory(), "policies");

    /// <summary>
    /// Where the demo guard is forged: <c>.cache/planted-guard</c> beside the repository's <c>policies</c>
    /// folder when running from a checkout, else under the user's local application data.
    /// </summary>
    public static string DefaultDemoModelDirectory()
    {
        var policies = FindPoliciesDirectory();
        var root = policies is not null
            ? Path.Combine(Path.GetDirectoryName(policies)!, ".cache")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "guardgateway");
        return Path.Combine(root, "planted-guard");
    }

    private static string? FindUpwards(string start, string name)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
