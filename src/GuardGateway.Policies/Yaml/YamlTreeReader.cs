using GuardGateway.Core.Policies;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GuardGateway.Policies.Yaml;

/// <summary>
/// Reads YAML text into a <see cref="YamlNode"/> tree from YamlDotNet parser events, keeping every node's
/// position. Structural problems (duplicate keys, non-scalar keys, unknown aliases, several documents, too
/// deep) become diagnostics and reading goes on; a syntax error stops reading (nothing after it can be trusted).
/// Never throws for any input text.
/// </summary>
internal sealed class YamlTreeReader
{
    /// <summary>Deeper than any sensible policy; keeps hostile input from exhausting the stack.</summary>
    internal const int MaxDepth = 32;

    private readonly string _file;
    private readonly List<PolicyDiagnostic> _diagnostics;
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private Parser _parser = null!;
    private YamlPosition _lastPosition = new(1, 1);
    private bool _aborted;

    private YamlTreeReader(string file, List<PolicyDiagnostic> diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    /// <summary>Reads the single document of <paramref name="text"/>; null when there is nothing usable.</summary>
    public static YamlNode? Read(string text, string file, List<PolicyDiagnostic> diagnostics)
    {
        var reader = new YamlTreeReader(file, diagnostics);
        try
        {
            return reader.ReadStream(text);
        }
        catch (YamlException exception)
        {
            // YamlDotNet messages describe the syntax ("While scanning a plain scalar, found…"), not the content.
            var position = YamlPosition.From(exception.Start);
            diagnostics.Add(new PolicyDiagnostic(file, position.Line, position.Column, PolicyDiagnosticCodes.YamlSyntax, FirstLine(exception.Message)));
            return null;
        }
#pragma warning disable CA1031 // Policy text is operator input: a scanner bug on odd input must become a diagnostic, never a crash.
        catch (Exception exception) when (exception is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // Found by the property test: YamlDotNet 18.1 throws InvalidOperationException from
            // Scanner.ScanPlainScalar on some malformed plain scalars instead of a YamlException.
            var position = reader._lastPosition;
            diagnostics.Add(new PolicyDiagnostic(file, position.Line, position.Column, PolicyDiagnosticCodes.YamlSyntax,
                $"The YAML after this point could not be read ({exception.GetType().Name} in the YAML scanner)."));
            return null;
        }
    }

    private YamlNode? ReadStream(string text)
    {
        _parser = new Parser(new StringReader(text));
        MoveTo<StreamStart>();
        _parser.MoveNext();
        if (_parser.Current is StreamEnd)
        {
            Add(new YamlPosition(1, 1), PolicyDiagnosticCodes.InvalidType, "The file is empty; a policy is a mapping with id, format and categories.");
            return null;
        }

        YamlNode? root = null;
        var documents = 0;
        while (_parser.Current is DocumentStart start)
        {
            documents++;
            _parser.MoveNext();
            if (documents == 1)
            {
                root = ReadNode(0);
                if (_aborted)
                {
                    return null;
                }
            }
            else
            {
                // Not read any further: only the first document matters, and the rest could be arbitrarily costly.
                Add(YamlPosition.From(start.Start), PolicyDiagnosticCodes.YamlUnsupported, "A policy file holds exactly one YAML document; remove the extra '---' document.");
                return root;
            }

            if (_parser.Current is not DocumentEnd)
            {
                throw Unexpected();
            }

            _parser.MoveNext();
        }

        return root;
    }

    private YamlNode ReadNode(int depth)
    {
        var current = _parser.Current ?? throw new YamlException("Unexpected end of the YAML stream.");
        var position = YamlPosition.From(current.Start);
        _lastPosition = position;
        if (depth > MaxDepth)
        {
            // Stop reading at once: YamlDotNet's scanner is quadratic in nesting depth, so skipping the rest of a
            // hostile 256 KiB "[[[[…" would take minutes.
            Add(position, PolicyDiagnosticCodes.YamlUnsupported, $"Nesting deeper than {MaxDepth} levels is not supported in policy files; reading stopped here.");
            _aborted = true;
            return new YamlScalar(position, string.Empty, ScalarStyle.Plain);
        }

        switch (current)
        {
            case Scalar scalar:
                _parser.MoveNext();
                return Anchor(scalar.Anchor, new YamlScalar(position, scalar.Value, scalar.Style));
            case AnchorAlias alias:
                _parser.MoveNext();
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                Add(position, PolicyDiagnosticCodes.YamlUnsupported, $"The alias *{Shorten(alias.Value.Value)} refers to no anchor defined before it.");
                return new YamlScalar(position, string.Empty, ScalarStyle.Plain);
            case SequenceStart sequenceStart:
                return Anchor(sequenceStart.Anchor, ReadSequence(position, depth));
            case MappingStart mappingStart:
                return Anchor(mappingStart.Anchor, ReadMapping(position, depth));
            default:
                throw Unexpected();
        }
    }

    private YamlSequence ReadSequence(YamlPosition position, int depth)
    {
        _parser.MoveNext();
        var items = new List<YamlNode>();
        while (!_aborted && _parser.Current is not SequenceEnd)
        {
            items.Add(ReadNode(depth + 1));
        }

        if (_aborted)
        {
            return new YamlSequence(position, items);
        }

        _parser.MoveNext();
        return new YamlSequence(position, items);
    }

    private YamlMapping ReadMapping(YamlPosition position, int depth)
    {
        _parser.MoveNext();
        var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
        var seen = new Dictionary<string, YamlPosition>(StringComparer.Ordinal);
        while (!_aborted && _parser.Current is not MappingEnd)
        {
            var key = ReadNode(depth + 1);
            var value = _aborted ? key : ReadNode(depth + 1);
            if (_aborted)
            {
                break;
            }

            if (key is not YamlScalar scalarKey)
            {
                Add(key.Position, PolicyDiagnosticCodes.YamlUnsupported, "Mapping keys must be plain names, not lists or mappings.");
                continue;
            }

            if (seen.TryGetValue(scalarKey.Value, out var first))
            {
                Add(scalarKey.Position, PolicyDiagnosticCodes.DuplicateKey, $"The key '{Shorten(scalarKey.Value)}' appears twice in this mapping (first at line {first.Line}); remove one.");
                continue;
            }

            seen.Add(scalarKey.Value, scalarKey.Position);
            entries.Add(new KeyValuePair<YamlScalar, YamlNode>(scalarKey, value));
        }

        if (_aborted)
        {
            return new YamlMapping(position, entries);
        }

        _parser.MoveNext();
        return new YamlMapping(position, entries);
    }

    private YamlNode Anchor(AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }

        return node;
    }

    private void MoveTo<T>()
        where T : ParsingEvent
    {
        if (!_parser.MoveNext() || _parser.Current is not T)
        {
            throw Unexpected();
        }
    }

    private YamlException Unexpected()
    {
        var current = _parser.Current;
        return current is null
            ? new YamlException("Unexpected end of the YAML stream.")
            : new YamlException(current.Start, current.End, $"Unexpected YAML event {current.GetType().Name}.");
    }

    private void Add(YamlPosition position, string code, string message) =>
        _diagnostics.Add(new PolicyDiagnostic(_file, position.Line, position.Column, code, message));

    internal static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "Invalid YAML." : line;
    }
}
