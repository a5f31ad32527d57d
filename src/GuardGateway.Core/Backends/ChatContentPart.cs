using System.Text.Json;

namespace GuardGateway.Core.Backends;

/// <summary>One part of array content. Text parts carry <see cref="Text"/>; other parts (images, audio) are kept raw.</summary>
/// <param name="Type">The part <c>type</c> (<c>text</c>, <c>image_url</c>, ...).</param>
/// <param name="Text">The text of a <c>text</c> part; null for other parts.</param>
/// <param name="Raw">The whole part as received (detached), forwarded unchanged for non-text parts; default for parts built in code.</param>
public sealed record ChatContentPart(string Type, string? Text, JsonElement Raw = default)
{
    /// <summary>A <c>text</c> part.</summary>
    public static ChatContentPart FromText(string text) => new("text", text);
}
