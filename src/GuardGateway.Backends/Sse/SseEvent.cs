namespace GuardGateway.Backends.Sse;

/// <summary>One dispatched server-sent event.</summary>
/// <param name="EventType">The <c>event</c> field, or null for the default type (<c>message</c>).</param>
/// <param name="Data">The <c>data</c> lines as UTF-8, joined with <c>\n</c> (not validated here: the JSON reader validates).</param>
/// <param name="LastEventId">The last <c>id</c> seen, or null.</param>
internal sealed record SseEvent(string? EventType, byte[] Data, string? LastEventId)
{
    private static ReadOnlySpan<byte> Done => "[DONE]"u8;

    /// <summary>Whether this is the OpenAI end marker <c>data: [DONE]</c>.</summary>
    public bool IsDone => Data.AsSpan().SequenceEqual(Done);
}
