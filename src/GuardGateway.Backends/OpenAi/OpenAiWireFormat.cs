using System.Text.Json;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;

namespace GuardGateway.Backends.OpenAi;

/// <summary>
/// The OpenAI chat/completions JSON shapes, read into and written from the Core domain types. Used by the HTTP
/// backend (requests out, answers in) and usable by the gateway's OpenAI-compatible front (the other direction).
/// Unknown fields are kept raw and written back unchanged; known fields with the wrong JSON type are errors. Error
/// messages name fields, never their values (they may be user text).
/// </summary>
public static partial class OpenAiWireFormat
{
    private const string InvalidTextMessage = "The JSON holds text that is not valid UTF-8 or an unpaired surrogate escape.";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads a request body.</summary>
    /// <param name="utf8Json">The body.</param>
    /// <param name="endpoint">Which route it was posted to.</param>
    /// <param name="stream">Whether the body asked for a stream (<c>"stream": true</c>).</param>
    /// <returns>The request, or <see cref="GuardErrorCode.InvalidRequest"/>.</returns>
    public static Result<ChatCompletionRequest> ReadRequest(ReadOnlyMemory<byte> utf8Json, ChatEndpoint endpoint, out bool stream)
    {
        stream = false;
        if (InvalidText(utf8Json.Span))
        {
            return GuardError.Invalid(InvalidTextMessage);
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            return ParseRequest(document.RootElement, endpoint, out stream);
        }
        catch (JsonException)
        {
            return GuardError.Invalid("The request body is not valid JSON.");
        }
        catch (WireFormatException e)
        {
            return GuardError.Invalid(e.Message);
        }
    }

    /// <summary>Reads a unary answer body.</summary>
    /// <param name="utf8Json">The body.</param>
    /// <param name="endpoint">Which route produced it.</param>
    /// <returns>The completion, or <see cref="GuardErrorCode.BackendProtocolError"/> (malformed) or
    /// <see cref="GuardErrorCode.BackendUnavailable"/> (the body is an <c>error</c> object).</returns>
    public static Result<ChatCompletion> ReadCompletion(ReadOnlyMemory<byte> utf8Json, ChatEndpoint endpoint)
    {
        if (InvalidText(utf8Json.Span))
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, InvalidTextMessage);
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            var root = RequireObject(document.RootElement, "response");
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                return ErrorObject(error);
            }

            return ParseCompletion(root, endpoint);
        }
        catch (JsonException)
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, "The backend response is not valid JSON.");
        }
        catch (WireFormatException e)
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, e.Message);
        }
    }

    /// <summary>Reads the JSON of one stream event (an SSE <c>data</c> payload).</summary>
    /// <param name="utf8Json">The payload.</param>
    /// <param name="endpoint">Which route produced it.</param>
    /// <returns>The chunk, or <see cref="GuardErrorCode.BackendProtocolError"/> (malformed) or
    /// <see cref="GuardErrorCode.BackendUnavailable"/> (an <c>error</c> event).</returns>
    public static Result<ChatCompletionChunk> ReadChunk(ReadOnlyMemory<byte> utf8Json, ChatEndpoint endpoint)
    {
        if (InvalidText(utf8Json.Span))
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, InvalidTextMessage);
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            var root = RequireObject(document.RootElement, "chunk");
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                return ErrorObject(error);
            }

            return ParseChunk(root, endpoint);
        }
        catch (JsonException)
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, "A stream event is not valid JSON.");
        }
        catch (WireFormatException e)
        {
            return new GuardError(GuardErrorCode.BackendProtocolError, e.Message);
        }
    }

    /// <summary>
    /// The error a backend reported. Only short identifier-like <c>type</c>/<c>code</c> values are kept: the message
    /// may echo user text, which must never reach logs or other callers.
    /// </summary>
    internal static GuardError ErrorObject(JsonElement error)
    {
        var kind = ErrorKind(error);
        return new GuardError(
            GuardErrorCode.BackendUnavailable,
            kind is null ? "The backend reported an error." : $"The backend reported an error ({kind}).");
    }

    /// <summary>The <c>type</c> or <c>code</c> of an error object (TGI: <c>error_type</c> beside it), when a short identifier.</summary>
    internal static string? ErrorKind(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object ? SafeIdentifier(error, "type") ?? SafeIdentifier(error, "code") : null;

    private static string? SafeIdentifier(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => TryReadString(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return text is { Length: > 0 and <= 64 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? text : null;
    }

    /// <summary>A string value, or null when it holds an unpaired surrogate escape (see <see cref="InvalidText"/>).</summary>
    private static string? TryReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the body holds text System.Text.Json parses but cannot turn into a string: bytes that are not UTF-8,
    /// or an escaped unpaired surrogate (<c>"\ud800"</c>), in a value or a property name. Reading such a value throws
    /// <see cref="InvalidOperationException"/> from <c>GetString</c>, a property name or <c>WriteTo</c> (an unknown
    /// field written back), so it is refused up front as malformed (found by the T16 fuzzer; unpaired surrogates are
    /// refused anyway, RELIABILITY.md). UTF-8 validation is vectorized; escapes are only decoded when a <c>\u</c> occurs.
    /// </summary>
    private static bool InvalidText(ReadOnlySpan<byte> utf8Json) =>
        !System.Text.Unicode.Utf8.IsValid(utf8Json) || (utf8Json.IndexOf("\\u"u8) >= 0 && HasUnpairedSurrogateEscape(utf8Json));

    private static bool HasUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the document parser reports that.
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }

        return false;
    }
}
