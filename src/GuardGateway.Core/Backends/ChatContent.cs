namespace GuardGateway.Core.Backends;

/// <summary>
/// Message content: either a plain string (<see cref="Text"/>) or an array of parts (<see cref="Parts"/>),
/// kept in the shape it arrived in so it is forwarded the same way.
/// </summary>
public sealed record ChatContent
{
    private ChatContent(string? text, IReadOnlyList<ChatContentPart>? parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The content when it is a plain string; null when it is parts.</summary>
    public string? Text { get; }

    /// <summary>The content when it is an array of parts; null when it is a plain string.</summary>
    public IReadOnlyList<ChatContentPart>? Parts { get; }

    /// <summary>Plain string content.</summary>
    public static ChatContent FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>Array-of-parts content.</summary>
    public static ChatContent FromParts(IReadOnlyList<ChatContentPart> parts) => new(null, parts ?? throw new ArgumentNullException(nameof(parts)));

    /// <summary>All text of the content (the string, or the text parts joined by a newline), for moderation.</summary>
    public string GetAllText() =>
        Text ?? string.Join('\n', Parts!.Where(p => p.Text is not null).Select(p => p.Text));
}
