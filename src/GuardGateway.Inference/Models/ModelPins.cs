using System.Globalization;
using GuardGateway.Core.Results;
using GuardGateway.Inference.Options;

namespace GuardGateway.Inference.Models;

/// <summary>
/// Expected SHA-256 digests of model directory files (<see cref="GuardInferenceOptions.Sha256"/> and
/// <see cref="GuardInferenceOptions.Sha256Pins"/>), checked by <see cref="GuardModelLoader"/> before any
/// file is parsed or an ONNX Runtime session exists.
/// </summary>
public sealed class ModelPins
{
    private ModelPins(IReadOnlyDictionary<string, string> digests, bool required)
    {
        Digests = digests;
        Required = required;
    }

    /// <summary>No pins and nothing required: the loader checks no digests.</summary>
    public static ModelPins None { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), required: false);

    /// <summary>Normalized relative file name ('/' separators) → lowercase hex digest.</summary>
    public IReadOnlyDictionary<string, string> Digests { get; }

    /// <summary>Refuse to load when the graph, its external data or the tokenizer is not pinned.</summary>
    public bool Required { get; }

    /// <summary>True when the loader has anything to check.</summary>
    public bool IsActive => Required || Digests.Count > 0;

    /// <summary>The pins of <paramref name="options"/>, or an <see cref="GuardErrorCode.InvalidRequest"/> listing every problem.</summary>
    public static Result<ModelPins> From(GuardInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var pins = Collect(options, errors);
        return errors.Count == 0
            ? new ModelPins(pins, options.RequirePins)
            : GuardError.Invalid("Invalid model pins: " + string.Join(" ", errors));
    }

    /// <summary>Checks the pin options, adding one message per problem to <paramref name="errors"/>.</summary>
    internal static Dictionary<string, string> Collect(GuardInferenceOptions options, List<string> errors)
    {
        var pins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, digest) in options.Sha256)
        {
            Add(pins, errors, file, digest, $"Sha256[{file}]");
        }

        for (var i = 0; i < options.Sha256Pins.Count; i++)
        {
            var entry = options.Sha256Pins[i] ?? string.Empty;
            var where = $"Sha256Pins[{i.ToString(CultureInfo.InvariantCulture)}]";
            // The digest never contains '=', a file name might: split at the last one.
            var equals = entry.LastIndexOf('=');
            if (equals <= 0)
            {
                errors.Add($"{where} must be 'relative/file=sha256hex' (was '{entry}').");
                continue;
            }

            Add(pins, errors, entry[..equals], entry[(equals + 1)..], where);
        }

        return pins;
    }

    /// <summary>
    /// The canonical form of a pinned name: relative to the model directory, '/' separators, no empty,
    /// '.' or '..' segment (so it cannot leave the directory); null when it is not such a name.
    /// </summary>
    public static string? NormalizeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var normalized = name.Trim().Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Contains(':', StringComparison.Ordinal) || Path.IsPathRooted(normalized))
        {
            return null;
        }

        foreach (var segment in normalized.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                return null;
            }
        }

        return normalized;
    }

    private static void Add(Dictionary<string, string> pins, List<string> errors, string file, string? digest, string where)
    {
        var name = NormalizeName(file);
        if (name is null)
        {
            errors.Add($"{where}: '{file}' is not a file name inside the model directory (relative, no '..', '.' or empty segments).");
            return;
        }

        var hex = digest?.Trim().ToLowerInvariant() ?? string.Empty;
        if (hex.Length != Sha256File.HexLength || !hex.All(char.IsAsciiHexDigit))
        {
            errors.Add($"{where}: the digest of '{name}' must be {Sha256File.HexLength} hex characters (was {hex.Length} characters).");
            return;
        }

        if (pins.TryGetValue(name, out var existing) && existing != hex)
        {
            errors.Add($"{where}: '{name}' is pinned twice with different digests.");
            return;
        }

        pins[name] = hex;
    }
}
