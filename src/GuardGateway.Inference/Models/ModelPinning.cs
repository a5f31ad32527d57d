using GuardGateway.Core.Results;

namespace GuardGateway.Inference.Models;

/// <summary>
/// Supply-chain checks of a model directory (RELIABILITY.md T25): every pinned file must exist and match
/// its SHA-256, and with <see cref="ModelPins.Required"/> the graph, its external data and the tokenizer
/// must be pinned. Runs before anything in the directory is parsed.
/// </summary>
public static class ModelPinning
{
    private const int DigestPrefix = 12;

    /// <summary>
    /// The files <see cref="GuardModelLoader"/> reads from <paramref name="directory"/>, relative with '/'
    /// separators: config, marker and genai config when present, the tokenizer, the graph and its external
    /// data. These are what <c>guardctl pin</c> digests.
    /// </summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="graphFile">An explicit graph file, or null for the preference order.</param>
    /// <param name="cancellationToken">Stops the graph scan.</param>
    public static Result<IReadOnlyList<string>> LoadedFiles(string directory, string? graphFile, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
        {
            return Invalid($"The model directory does not exist: {directory}");
        }

        directory = Path.GetFullPath(directory);
        var graph = GraphFileResolver.Resolve(directory, graphFile);
        if (!graph.IsSuccess)
        {
            return graph.Error;
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { "config.json", GuardModelMarker.FileName, "genai_config.json" })
        {
            if (File.Exists(Path.Combine(directory, name)))
            {
                files.Add(name);
            }
        }

        files.UnionWith(TokenizerInputs(directory));

        var graphName = RelativeName(directory, graph.Value);
        if (graphName is null)
        {
            return Invalid($"The graph {graph.Value} is outside the model directory and cannot be pinned.");
        }

        files.Add(graphName);
        var external = ExternalDataNames(directory, graph.Value, cancellationToken);
        if (!external.IsSuccess)
        {
            return external.Error;
        }

        files.UnionWith(external.Value);
        return files.ToArray();
    }

    /// <summary>Null when every pin holds (and, if required, everything is pinned); else the refusal.</summary>
    internal static GuardError? Verify(string directory, string graphPath, ModelPins pins, CancellationToken cancellationToken)
    {
        if (!pins.IsActive)
        {
            return null;
        }

        var graphName = RelativeName(directory, graphPath);
        if (pins.Required)
        {
            if (graphName is null)
            {
                return Invalid($"RequirePins is set but the graph {graphPath} is outside the model directory and cannot be pinned.");
            }

            var unpinned = TokenizerInputs(directory).Prepend(graphName).Where(f => !pins.Digests.ContainsKey(f)).ToArray();
            if (unpinned.Length > 0)
            {
                return Invalid($"RequirePins is set but {string.Join(", ", unpinned)} {(unpinned.Length == 1 ? "is" : "are")} not pinned (Guard:Inference:Sha256). Refusing to load.");
            }
        }

        foreach (var (name, expected) in pins.Digests.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                return Invalid($"Pinned file '{name}' is missing from the model directory {directory}. Refusing to load.");
            }

            string actual;
            try
            {
                actual = Sha256File.Compute(path, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new GuardError(GuardErrorCode.Cancelled, "Model loading was cancelled while checking file digests.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Invalid($"Pinned file '{name}' cannot be read: {ex.Message}");
            }

            if (!string.Equals(actual, expected, StringComparison.Ordinal))
            {
                return Invalid($"Pinned file '{name}' does not match its SHA-256: expected {expected[..DigestPrefix]}…, actual {actual[..DigestPrefix]}…. The model directory was modified or is not the pinned release; refusing to load.");
            }
        }

        if (!pins.Required)
        {
            return null;
        }

        // The graph is pinned and verified by now, so its references are the pinned ones.
        var external = ExternalDataNames(directory, graphPath, cancellationToken);
        if (!external.IsSuccess)
        {
            return external.Error.Code == GuardErrorCode.Cancelled
                ? external.Error
                : Invalid("RequirePins is set but " + external.Error.Message);
        }

        var unpinnedData = external.Value.Where(f => !pins.Digests.ContainsKey(f)).ToArray();
        return unpinnedData.Length == 0
            ? null
            : Invalid($"RequirePins is set but the external data {string.Join(", ", unpinnedData)} of {graphName} is not pinned. Refusing to load.");
    }

    /// <summary><paramref name="path"/> relative to <paramref name="directory"/> with '/' separators, or null when outside it.</summary>
    public static string? RelativeName(string directory, string path)
    {
        var relative = Path.GetRelativePath(directory, Path.GetFullPath(path));
        return Path.IsPathRooted(relative) ? null : ModelPins.NormalizeName(relative);
    }

    /// <summary>
    /// The tokenizer file the loader will read (the first existing of <see cref="GuardModelLoader.TokenizerFiles"/>),
    /// plus <c>tokenizer_config.json</c> when that is a tiktoken <c>tokenizer.model</c> (it names the special
    /// tokens then). Empty for a demo directory without a tokenizer.
    /// </summary>
    private static IEnumerable<string> TokenizerInputs(string directory)
    {
        var tokenizer = GuardModelLoader.TokenizerFiles.FirstOrDefault(f => File.Exists(Path.Combine(directory, f)));
        if (tokenizer is null)
        {
            yield break;
        }

        yield return tokenizer;
        if (tokenizer == "tokenizer.model" && File.Exists(Path.Combine(directory, "tokenizer_config.json")))
        {
            yield return "tokenizer_config.json";
        }
    }

    private static Result<IReadOnlyList<string>> ExternalDataNames(string directory, string graphPath, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> locations;
        try
        {
            locations = OnnxExternalDataScanner.ListLocations(graphPath, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new GuardError(GuardErrorCode.Cancelled, "Model loading was cancelled while reading the graph.");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Invalid($"the external data of {graphPath} cannot be listed: {ex.Message}");
        }

        var graphFolder = Path.GetDirectoryName(graphPath)!;
        var names = new List<string>(locations.Count);
        foreach (var location in locations)
        {
            // ONNX Runtime resolves locations against the graph's folder.
            var name = RelativeName(directory, Path.Combine(graphFolder, location));
            if (name is null)
            {
                return Invalid($"{graphPath} refers to external data '{location}' outside the model directory.");
            }

            names.Add(name);
        }

        return names;
    }

    private static GuardError Invalid(string message) => new(GuardErrorCode.ModelInvalid, message);
}
