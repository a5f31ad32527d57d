using System.Text.Json;
using GuardGateway.Core.Moderation;
using GuardGateway.Server.Proxy;

namespace GuardGateway.Server.OpenAi;

/// <summary>The machine-readable <c>moderation</c> field the HTTP front adds to answers, choices and chunks.</summary>
internal static class ModerationJson
{
    /// <summary>The field name.</summary>
    public const string FieldName = "moderation";

    /// <summary>Writes a summary as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, ModerationSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("decision", summary.Action.ToWireName());
        writer.WriteString("direction", summary.Direction == ModerationDirection.Input ? "input" : "output");
        writer.WriteStartArray("categories");
        foreach (var code in summary.Categories)
        {
            writer.WriteStringValue(code);
        }

        writer.WriteEndArray();
        writer.WriteString("policy_id", summary.PolicyId);
        writer.WriteString("policy_version", summary.PolicyVersion);
        writer.WriteString("model", summary.Model);
        writer.WriteBoolean("demo_model", summary.DemoModel);
        writer.WriteBoolean("no_verdict", summary.NoVerdict);
        writer.WriteBoolean("failed_open", summary.FailedOpen);
        writer.WriteString("reason", summary.Reason);
        writer.WriteEndObject();
    }

    /// <summary>A summary as a detached JSON element (to add to a choice's or chunk's extra fields).</summary>
    public static JsonElement ToElement(ModerationSummary summary)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, summary);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Extra fields with <c>moderation</c> set (replacing any upstream field of that name).</summary>
    public static IReadOnlyDictionary<string, JsonElement> With(IReadOnlyDictionary<string, JsonElement> extras, ModerationSummary summary) =>
        new Dictionary<string, JsonElement>(extras, StringComparer.Ordinal) { [FieldName] = ToElement(summary) };
}
