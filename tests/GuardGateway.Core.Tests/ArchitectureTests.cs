using System.Xml.Linq;
using GuardGateway.Core.Conversations;
using GuardGateway.TestUtilities;

namespace GuardGateway.Core.Tests;

/// <summary>Dependencies point inward (ARCHITECTURE.md): Core is plain .NET, engines know only Core.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] ForbiddenInCore = ["Microsoft.AspNetCore", "Grpc", "Google.Protobuf", "Microsoft.ML.OnnxRuntime", "Polly", "YamlDotNet"];

    private static readonly string[] Engines = ["GuardGateway.Inference", "GuardGateway.Policies", "GuardGateway.Redaction", "GuardGateway.Backends", "GuardGateway.TextSafety"];

    [Fact]
    public void CoreAssembly_ReferencesNoFrameworkOrRuntimeAssemblies()
    {
        var references = typeof(ChatMessage).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();
        Assert.NotEmpty(references);
        foreach (var forbidden in ForbiddenInCore)
        {
            Assert.DoesNotContain(references, name => name.StartsWith(forbidden, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CoreProject_HasNoPackageOrProjectReferences()
    {
        var project = XDocument.Load(RepositoryPaths.Combine("src", "GuardGateway.Core", "GuardGateway.Core.csproj"));
        Assert.Empty(project.Descendants("PackageReference"));
        Assert.Empty(project.Descendants("ProjectReference"));
    }

    [Fact]
    public void EngineProjects_ReferenceOnlyCore()
    {
        foreach (var engine in Engines)
        {
            var path = RepositoryPaths.Combine("src", engine, engine + ".csproj");
            if (!File.Exists(path))
            {
                continue;
            }

            var references = XDocument.Load(path).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', '/')))
                .ToList();
            Assert.All(references, name => Assert.Equal("GuardGateway.Core", name));
        }
    }

    [Fact]
    public void ProjectFiles_NeverPinVersionsLocally()
    {
        // Central package management (ARCHITECTURE.md §1): versions live in Directory.Packages.props only.
        var projects = Directory.EnumerateFiles(RepositoryPaths.Root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}.cache{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var path in projects)
        {
            var versioned = XDocument.Load(path).Descendants("PackageReference").Where(r => r.Attribute("Version") is not null);
            Assert.True(!versioned.Any(), $"{path} sets a package Version; use Directory.Packages.props");
        }
    }
}
