namespace GuardGateway.Policies.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gg-policies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string fileName, string text)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public string Read(string fileName) => File.ReadAllText(System.IO.Path.Combine(Path, fileName));

    public bool Exists(string fileName) => File.Exists(System.IO.Path.Combine(Path, fileName));

    public void Delete(string fileName) => File.Delete(System.IO.Path.Combine(Path, fileName));

    public IReadOnlyList<string> FileNames() => [.. Directory.EnumerateFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort in tests.
        }
    }
}
