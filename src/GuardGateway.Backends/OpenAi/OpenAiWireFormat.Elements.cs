using System.Text.Json;

namespace GuardGateway.Backends.OpenAi;

/// <summary>Typed access to JSON elements with errors that name the field.</summary>
public static partial class OpenAiWireFormat
{
    private static JsonElement RequireObject(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new WireFormatException($"'{field}' must be an object.");

    private static JsonElement RequireArray(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Array ? element : throw new WireFormatException($"'{field}' must be an array.");

    private static string RequireString(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new WireFormatException($"'{field}' must be a string.");

    /// <summary>A role name; <paramref name="unknown"/> is the error for a string that names no role.</summary>
    private static Core.Backends.ChatMessageRole RequireRole(JsonElement element, string field, string unknown) =>
        Core.Backends.ChatMessageRoles.TryParse(RequireString(element, field), out var role) ? role : throw new WireFormatException(unknown);

    private static string? OptionalString(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Null ? null : RequireString(element, field);

    private static int RequireInt(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw new WireFormatException($"'{field}' must be a 32-bit integer.");

    private static int? OptionalInt(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Null ? null : RequireInt(element, field);

    private static long RequireLong(JsonElement element, string field)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var value))
            {
                return value;
            }

            // Some servers send fractional Unix times; whole seconds are what the field means.
            if (element.TryGetDouble(out var real) && real is >= long.MinValue and <= long.MaxValue)
            {
                return (long)real;
            }
        }

        throw new WireFormatException($"'{field}' must be a number.");
    }

    private static double? OptionalDouble(JsonElement element, string field) =>
        element.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => element.GetDouble(),
            _ => throw new WireFormatException($"'{field}' must be a number."),
        };

    /// <summary>Keeps an unmodelled property, detached from the document. Duplicate names: the last wins, as in most readers.</summary>
    private static void AddExtra(ref Dictionary<string, JsonElement>? extras, JsonProperty property)
    {
        extras ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        extras[property.Name] = property.Value.Clone();
    }

    private static IReadOnlyDictionary<string, JsonElement> Frozen(Dictionary<string, JsonElement>? extras) =>
        extras ?? Core.Backends.JsonExtensionData.Empty;

    private static void WriteExtras(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement> extras)
    {
        foreach (var (name, value) in extras)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
