using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace GuardGateway.Inference.Tokenization;

/// <summary>Loading from HF <c>tokenizer.json</c>, Meta's tiktoken <c>tokenizer.model</c>, or the embedded demo.</summary>
public sealed partial class Llama3Tokenizer
{
    private const string Cl100kResource = "cl100k_base.tiktoken.deflate";
    private const int Cl100kRankCount = 100256;

    /// <summary>
    /// Loads a tokenizer file, choosing the reader by content: JSON (HF <c>tokenizer.json</c>) or tiktoken
    /// lines (Meta's <c>tokenizer.model</c>, whose special names come from a <c>tokenizer_config.json</c>
    /// beside it when present, else Llama 3.1's).
    /// </summary>
    /// <exception cref="TokenizerLoadException">The file is missing or not a Llama 3 tokenizer.</exception>
    public static Llama3Tokenizer FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new TokenizerLoadException($"Tokenizer file not found: {path}");
        }

        using var stream = File.OpenRead(path);
        var first = stream.ReadByte();
        stream.Position = 0;
        if (first == '{')
        {
            return FromHuggingFaceJson(stream, path);
        }

        var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "tokenizer_config.json");
        var specials = File.Exists(configPath) ? ReadSpecialsFromConfig(configPath) : null;
        return FromTiktokenModel(stream, specials, path);
    }

    /// <summary>Reads an HF byte-level BPE <c>tokenizer.json</c>.</summary>
    public static Llama3Tokenizer FromHuggingFaceJson(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new TokenizerLoadException($"{source}: not valid JSON ({ex.Message}).", ex);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            {
                throw new TokenizerLoadException($"{source}: no 'model' object; not an HF tokenizer.json.");
            }

            if (!model.TryGetProperty("type", out var type) || type.GetString() != "BPE")
            {
                throw new TokenizerLoadException($"{source}: model type must be BPE (byte-level), as in Llama 3.");
            }

            if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            {
                throw new TokenizerLoadException($"{source}: model.vocab is missing.");
            }

            var tiktoken = new StringBuilder(capacity: 2_000_000);
            var rankCount = 0;
            foreach (var entry in vocab.EnumerateObject())
            {
                if (!ByteLevelAlphabet.TryDecode(entry.Name, out var bytes))
                {
                    throw new TokenizerLoadException(
                        $"{source}: vocabulary key #{rankCount} is not byte-level BPE; Llama 3 tokenizers are byte-level.");
                }

                tiktoken.Append(Convert.ToBase64String(bytes)).Append(' ').Append(entry.Value.GetInt32()).Append('\n');
                rankCount++;
            }

            var specials = new Dictionary<string, int>(StringComparer.Ordinal);
            if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (var token in added.EnumerateArray())
                {
                    var isSpecial = token.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True;
                    if (isSpecial && token.TryGetProperty("content", out var content) && token.TryGetProperty("id", out var id))
                    {
                        specials[content.GetString()!] = id.GetInt32();
                    }
                }
            }

            var pattern = FindSplitPattern(root) ?? Llama3PreTokenizer.Pattern;
            return Build(tiktoken.ToString(), rankCount, specials, pattern, source);
        }
    }

    /// <summary>Reads Meta's tiktoken <c>tokenizer.model</c> (<c>base64 rank</c> per line).</summary>
    /// <param name="stream">The file.</param>
    /// <param name="specialTokens">Special names by id; null for Llama 3.1's defaults.</param>
    /// <param name="source">For error messages.</param>
    public static Llama3Tokenizer FromTiktokenModel(Stream stream, IReadOnlyDictionary<string, int>? specialTokens, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var text = reader.ReadToEnd();
        var rankCount = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                continue;
            }

            var space = line.IndexOf(' ');
            if (space <= 0 || !int.TryParse(line[(space + 1)..], out _))
            {
                throw new TokenizerLoadException($"{source}: line {rankCount + 1} is not '<base64> <rank>'; not a tiktoken file.");
            }

            rankCount++;
        }

        return Build(text, rankCount, specialTokens ?? Llama3SpecialTokens.DefaultNames, Llama3PreTokenizer.Pattern, source);
    }

    /// <summary>
    /// The offline demo tokenizer: cl100k_base ranks (byte-identical to Llama 3 ids 0–100255, shipped in the
    /// Microsoft.ML.Tokenizers.Data.Cl100kBase package) plus the Llama 3 specials. Valid Llama 3 ids and
    /// exact for most English text, but it lacks ids 100256–127999, so a real model directory always
    /// brings its own tokenizer.
    /// </summary>
    public static Llama3Tokenizer CreateOfflineDemo()
    {
        // The data package exposes no public type; its assembly is loaded by name.
        var assembly = System.Reflection.Assembly.Load("Microsoft.ML.Tokenizers.Data.Cl100kBase");
        using var compressed = assembly.GetManifestResourceStream(Cl100kResource)
            ?? throw new TokenizerLoadException($"Embedded resource {Cl100kResource} not found in {assembly.GetName().Name}.");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(inflated, Encoding.UTF8);
        return Build(reader.ReadToEnd(), Cl100kRankCount, Llama3SpecialTokens.DefaultNames, Llama3PreTokenizer.Pattern, "embedded cl100k_base demo");
    }

    private static Llama3Tokenizer Build(string tiktokenText, int rankCount, IReadOnlyDictionary<string, int> specials, string pattern, string source)
    {
        var regex = pattern == Llama3PreTokenizer.Pattern
            ? Llama3PreTokenizer.Regex()
            : new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

        // No special tokens in the pre-tokenizer or the vocabulary: see the class remarks.
        var preTokenizer = new RegexPreTokenizer(regex, specialTokens: null);
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes(tiktokenText));
        TiktokenTokenizer text;
        try
        {
            text = TiktokenTokenizer.Create(vocab, preTokenizer, normalizer: null, specialTokens: null);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            throw new TokenizerLoadException($"{source}: the vocabulary could not be read ({ex.GetType().Name}).", ex);
        }

        foreach (var (literal, id) in specials)
        {
            if (id < rankCount)
            {
                throw new TokenizerLoadException($"{source}: special token '{literal}' has id {id}, inside the BPE ranks.");
            }
        }

        return new Llama3Tokenizer(text, specials, rankCount, source);
    }

    private static string? FindSplitPattern(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var steps = pre.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [pre];
        foreach (var step in steps)
        {
            if (step.TryGetProperty("type", out var t) && t.GetString() == "Split"
                && step.TryGetProperty("pattern", out var p) && p.TryGetProperty("Regex", out var r))
            {
                return r.GetString();
            }
        }

        return null;
    }

    private static Dictionary<string, int> ReadSpecialsFromConfig(string configPath)
    {
        using var stream = File.OpenRead(configPath);
        using var doc = JsonDocument.Parse(stream);
        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (doc.RootElement.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in decoder.EnumerateObject())
            {
                if (int.TryParse(entry.Name, out var id) && entry.Value.TryGetProperty("content", out var content))
                {
                    specials[content.GetString()!] = id;
                }
            }
        }

        return specials.Count > 0 ? specials : new Dictionary<string, int>(Llama3SpecialTokens.DefaultNames, StringComparer.Ordinal);
    }
}
