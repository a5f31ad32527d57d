namespace GuardGateway.TestUtilities;

/// <summary>Locates the repository from a test's working directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding <c>GuardGateway.sln</c>.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The git-ignored cache for fetched fixtures and forged models.</summary>
    public static string Cache => Environment.GetEnvironmentVariable("GUARDGATEWAY_FIXTURES") is { Length: > 0 } custom
        ? custom
        : Combine(".cache", "fixtures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GuardGateway.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("GuardGateway.sln not found above " + AppContext.BaseDirectory);
    }
}
