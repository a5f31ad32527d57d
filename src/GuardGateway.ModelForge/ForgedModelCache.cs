using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GuardGateway.ModelForge;

/// <summary>
/// Forged models for tests and benchmarks, cached under a root folder in one directory per (kind, options,
/// tokenizer content, forge build). A model is forged into a private temporary
/// directory and renamed into place, so parallel test processes never see a half-written model; when two
/// race, one rename wins and the other's copy is discarded.
/// </summary>
public static class ForgedModelCache
{
    // The forge assembly's module id: deterministic builds change it exactly when the forge's code changes, so an
    // edited graph never reuses a model forged by older code.
    private static readonly Guid ForgeBuild = typeof(ForgedModelCache).Assembly.ManifestModule.ModuleVersionId;

    private const string TemporaryMarker = ".tmp-";

    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);

    private static readonly string BuildFolder = "build-" + ForgeBuild.ToString("N")[..12];

    private static readonly string[] TokenizerFileNames = ["tokenizer.json", "tokenizer.model"];

    /// <summary>The cached tiny Llama for these options, forged on first use.</summary>
    /// <param name="cacheRoot">The cache root (e.g. the repository's git-ignored <c>.cache/fixtures</c>).</param>
    /// <param name="options">Forge options; part of the key.</param>
    /// <param name="tokenizerPath">Tokenizer to copy in (its content is part of the key), or null.</param>
    public static ForgedModel GetOrCreate(string cacheRoot, TinyLlamaOptions options, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetOrCreate(cacheRoot, Forge.TinyLlamaKind, JsonSerializer.Serialize(options), tokenizerPath,
            dir => Forge.TinyLlama(options, dir, tokenizerPath));
    }

    /// <summary>The cached planted guard for these options, forged on first use.</summary>
    /// <param name="cacheRoot">The cache root (e.g. the repository's git-ignored <c>.cache/fixtures</c>).</param>
    /// <param name="options">Forge options; part of the key.</param>
    /// <param name="tokenizerPath">Tokenizer to copy in (its content is part of the key), or null.</param>
    public static ForgedModel GetOrCreate(string cacheRoot, PlantedGuardOptions options, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetOrCreate(cacheRoot, Forge.PlantedGuardKind, JsonSerializer.Serialize(options), tokenizerPath,
            dir => Forge.PlantedGuard(options, dir, tokenizerPath));
    }

    private static ForgedModel GetOrCreate(string cacheRoot, string kind, string optionsJson, string? tokenizerPath, Func<string, ForgedModel> forge)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheRoot);
        var root = Path.GetFullPath(cacheRoot);
        var forged = Path.Combine(root, "forged");
        var final = Path.Combine(forged, BuildFolder, kind + "-" + Key(kind, optionsJson, tokenizerPath));
        if (Directory.Exists(final))
        {
            return Describe(kind, final);
        }

        RemoveStale(forged);
        var temporary = final + TemporaryMarker + Guid.NewGuid().ToString("N");
        try
        {
            forge(temporary);
            try
            {
                Directory.Move(temporary, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another process finished the same model first; theirs is identical.
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        return Describe(kind, final);
    }

    /// <summary>
    /// Deletes what no current process needs: models of other forge builds and temporary directories of
    /// processes that died while forging, once untouched for <see cref="StaleAfter"/>. Without this every
    /// rebuild of the forge would leave a full set of models behind.
    /// </summary>
    private static void RemoveStale(string forged)
    {
        if (!Directory.Exists(forged))
        {
            return;
        }

        var cutoff = DateTime.UtcNow - StaleAfter;
        var current = Path.Combine(forged, BuildFolder);
        var candidates = Directory.EnumerateDirectories(forged).Where(d => d != current)
            .Concat(Directory.Exists(current) ? Directory.EnumerateDirectories(current, "*" + TemporaryMarker + "*") : []);
        foreach (var directory in candidates.ToList())
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(directory) < cutoff)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Another process is cleaning up too, or the folder is in use: leave it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to delete.
            }
        }
    }

    private static string Key(string kind, string optionsJson, string? tokenizerPath)
    {
        var text = new StringBuilder()
            .Append(kind).Append('|').Append(Forge.FormatVersion).Append('|').Append(optionsJson).Append('|');
        if (tokenizerPath is null)
        {
            text.Append("no-tokenizer");
        }
        else
        {
            using var stream = File.OpenRead(tokenizerPath);
            text.Append(Path.GetExtension(tokenizerPath).ToUpperInvariant()).Append(':').Append(Convert.ToHexString(SHA256.HashData(stream)));
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    private static ForgedModel Describe(string kind, string directory)
    {
        var external = Path.Combine(directory, Forge.ExternalDataFileName);
        var tokenizer = TokenizerFileNames
            .Select(name => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        return new ForgedModel(kind, directory, Path.Combine(directory, Forge.ModelFileName), File.Exists(external) ? external : null, tokenizer);
    }
}
