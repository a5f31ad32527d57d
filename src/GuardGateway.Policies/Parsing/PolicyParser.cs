using System.Text.RegularExpressions;
using GuardGateway.Core.Policies;
using GuardGateway.Policies.Yaml;

namespace GuardGateway.Policies.Parsing;

/// <summary>
/// Parses and validates one policy text, collecting every error with its line and column instead of stopping
/// at the first (ARCHITECTURE.md rule 4). Never throws for any input text.
/// </summary>
internal sealed partial class PolicyParser
{
    /// <summary>Policies are small; anything bigger is a mistake (or hostile) and is refused before parsing.</summary>
    internal const int MaxTextLength = 256 * 1024;

    private static readonly string[] TopLevelKeys =
    [
        "id", "description", "format", "threshold", "on_error", "unsupported_language", "refusal", "redaction",
        "include_descriptions", "categories", "exclude", "bindings",
    ];

    private readonly PolicyParseOptions _options;
    private readonly List<PolicyDiagnostic> _diagnostics = [];
    private readonly List<BindingEntry> _bindings = [];
    private YamlPosition _idPosition = new(1, 1);

    private PolicyParser(PolicyParseOptions options)
    {
        _options = options;
    }

    /// <summary>Parses <paramref name="text"/>; the result holds a policy only when there is no error.</summary>
    public static ParsedPolicy Parse(string text, PolicyParseOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var parser = new PolicyParser(options);
        var hash = PolicyVersion.Hash(text);
        var (policy, id) = parser.ParseText(text, hash);
        return new ParsedPolicy
        {
            File = options.File,
            Text = text,
            ContentHash = hash,
            Policy = parser._diagnostics.Any(d => d.IsError) ? null : policy,
            Id = id,
            IdPosition = parser._idPosition,
            Diagnostics = [.. parser._diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)],
            Bindings = parser._bindings,
        };
    }

    private (ModerationPolicy? Policy, string? Id) ParseText(string text, string hash)
    {
        if (text.Length > MaxTextLength)
        {
            Add(new YamlPosition(0, 0), PolicyDiagnosticCodes.YamlUnsupported, $"The policy is {text.Length} characters; the limit is {MaxTextLength}.");
            return (null, null);
        }

        var root = YamlTreeReader.Read(text, _options.File, _diagnostics);
        if (root is null)
        {
            return (null, null);
        }

        if (root is not YamlMapping map)
        {
            Add(root.Position, PolicyDiagnosticCodes.InvalidType, $"A policy is a mapping (id:, format:, categories: …), not {root.KindName}.");
            return (null, null);
        }

        CheckKeys(map, TopLevelKeys, "policy");
        var id = ReadId(map);
        var description = OptionalString(map, "description") ?? string.Empty;
        var format = ReadFormat(map);
        var threshold = OptionalThreshold(map, "threshold") ?? 0.5f;
        var onError = ReadFailMode(map);
        var unsupportedLanguage = ReadUnsupportedLanguage(map);
        var refusal = OptionalString(map, "refusal", singleLine: false) ?? "I can't help with that.";
        var redaction = ReadRedaction(map);
        var includeDescriptions = OptionalBool(map, "include_descriptions") ?? false;
        var categories = ReadCategories(map, format);
        var exclude = ReadExclude(map, categories);
        var bindings = ReadBindings(map);

        if (id is null || format is null || categories is null)
        {
            return (null, id);
        }

        var policy = new ModerationPolicy
        {
            Id = id,
            Version = PolicyVersion.Create(hash, _options.LoadedAt),
            Description = description,
            FormatId = format,
            Threshold = threshold,
            OnError = onError,
            UnsupportedLanguage = unsupportedLanguage,
            Refusal = refusal,
            Redaction = redaction,
            IncludeDescriptions = includeDescriptions,
            Categories = categories,
            Exclude = exclude,
            Bindings = bindings,
        };
        return (policy, id);
    }

    private string? ReadId(YamlMapping map)
    {
        var id = RequiredString(map, "id", "the policy id, e.g. 'default'");
        if (id is null)
        {
            return null;
        }

        var node = map.Find("id")!;
        _idPosition = node.Position;
        if (!IdPattern().IsMatch(id))
        {
            Add(node.Position, PolicyDiagnosticCodes.InvalidId, $"The id '{YamlTreeReader.Shorten(id)}' must be 1–64 lower-case letters, digits, '-' or '_', starting with a letter or digit.");
            return id;
        }

        if (_options.ExpectedId is { } expected && expected != id)
        {
            Add(node.Position, PolicyDiagnosticCodes.IdMismatch, $"The id '{id}' does not match '{YamlTreeReader.Shorten(expected)}' (the file name without extension, or the id of the admin call).");
        }

        return id;
    }

    private string? ReadFormat(YamlMapping map)
    {
        var format = RequiredString(map, "format", string.Join(" or ", PolicyFormats.All));
        if (format is null)
        {
            return null;
        }

        var position = map.Find("format")!.Position;
        if (PolicyFormats.DefaultCategories(format) is null)
        {
            Add(position, PolicyDiagnosticCodes.UnknownFormat, $"Unknown format '{YamlTreeReader.Shorten(format)}'; expected {string.Join(" or ", PolicyFormats.All)}.");
            return null;
        }

        if (_options.SupportedFormats is { } supported && !supported.Contains(format))
        {
            var served = supported.Count == 0 ? "none" : string.Join(", ", supported);
            _diagnostics.Add(new PolicyDiagnostic(
                _options.File, position.Line, position.Column, PolicyDiagnosticCodes.UnsupportedFormat,
                $"The loaded model cannot serve the format '{format}' (it serves: {served}).",
                _options.UnsupportedFormatSeverity));
        }

        return format;
    }

    private FailMode ReadFailMode(YamlMapping map)
    {
        var value = OptionalString(map, "on_error");
        switch (value)
        {
            case null or "block" or "closed":
                return FailMode.Closed;
            case "allow" or "open":
                return FailMode.Open;
            default:
                Add(map.Find("on_error")!.Position, PolicyDiagnosticCodes.InvalidValue, $"on_error is '{YamlTreeReader.Shorten(value)}'; expected block (fail-closed, the default) or allow (fail-open).");
                return FailMode.Closed;
        }
    }

    private UnsupportedLanguageAction ReadUnsupportedLanguage(YamlMapping map)
    {
        var value = OptionalString(map, "unsupported_language");
        switch (value)
        {
            case null or "flag":
                return UnsupportedLanguageAction.Flag;
            case "allow":
                return UnsupportedLanguageAction.Allow;
            case "block":
                return UnsupportedLanguageAction.Block;
            default:
                Add(map.Find("unsupported_language")!.Position, PolicyDiagnosticCodes.InvalidValue, $"unsupported_language is '{YamlTreeReader.Shorten(value)}'; expected allow, flag or block.");
                return UnsupportedLanguageAction.Flag;
        }
    }

    private string ReadRedaction(YamlMapping map)
    {
        const string fallback = "[removed: {code} {name}]";
        var value = OptionalString(map, "redaction", singleLine: false);
        if (value is null)
        {
            return fallback;
        }

        foreach (Match placeholder in PlaceholderPattern().Matches(value))
        {
            if (placeholder.Value is not "{code}" and not "{name}")
            {
                Add(map.Find("redaction")!.Position, PolicyDiagnosticCodes.InvalidTemplate, $"The redaction template uses '{YamlTreeReader.Shorten(placeholder.Value)}'; only {{code}} and {{name}} are substituted.");
            }
        }

        return value;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("[{][^{}]*[}]?|[}]", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
