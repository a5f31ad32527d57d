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

    private static readonly string[] TokenizerFileNames = ["tokenizer.json", "tokenizer.model"];

    /// <summary>The cached tiny Llama for these options, forged on first use.</summary>
    /// <param name="cacheRoot">The cache root (e.g. the repository's git-ignored <c>.cache/fixtures</c>).</param>
    /// <param name="options">Forge options; part of the key.</param>
    /// <param name="tokenizerPath">Tokenizer to copy in (its content is part of the key), or null.</param>
    public static ForgedModel GetOrCreate(string cacheRoot, TinyLlamaOptions options, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetOrCreate(cacheRoot, ModelForge.TinyLlamaKind, JsonSerializer.Serialize(options), tokenizerPath,
            dir => ModelForge.ForgeTinyLlama(options, dir, tokenizerPath));
    }

    /// <summary>The cached planted guard for these options, forged on first use.</summary>
    /// <param name="cacheRoot">The cache root (e.g. the repository's git-ignored <c>.cache/fixtures</c>).</param>
    /// <param name="options">Forge options; part of the key.</param>
    /// <param name="tokenizerPath">Tokenizer to copy in (its content is part of the key), or null.</param>
    public static ForgedModel GetOrCreate(string cacheRoot, PlantedGuardOptions options, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GetOrCreate(cacheRoot, ModelForge.PlantedGuardKind, JsonSerializer.Serialize(options), tokenizerPath,
            dir => ModelForge.ForgePlantedGuard(options, dir, tokenizerPath));
    }

    private static ForgedModel GetOrCreate(string cacheRoot, string kind, string optionsJson, string? tokenizerPath, Func<string, ForgedModel> forge)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheRoot);
        var root = Path.GetFullPath(cacheRoot);
        var final = Path.Combine(root, "forged", kind + "-" + Key(kind, optionsJson, tokenizerPath));
        if (Directory.Exists(final))
        {
            return Describe(kind, final);
        }

        var temporary = final + ".tmp-" + Guid.NewGuid().ToString("N");
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

    private static string Key(string kind, string optionsJson, string? tokenizerPath)
    {
        var text = new StringBuilder()
            .Append(kind).Append('|').Append(ModelForge.FormatVersion).Append('|').Append(ForgeBuild).Append('|').Append(optionsJson).Append('|');
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
        var external = Path.Combine(directory, ModelForge.ExternalDataFileName);
        var tokenizer = TokenizerFileNames
            .Select(name => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        return new ForgedModel(kind, directory, Path.Combine(directory, ModelForge.ModelFileName), File.Exists(external) ? external : null, tokenizer);
    }
}
