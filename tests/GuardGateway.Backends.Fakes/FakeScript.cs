namespace GuardGateway.Backends.Fakes;

/// <summary>What the fake OpenAI-compatible server does with one request.</summary>
public abstract record FakeScript
{
    /// <summary>Waits, then answers with a status and a body.</summary>
    public sealed record Reply(int Status, string Body, TimeSpan Delay = default, string ContentType = "application/json") : FakeScript;

    /// <summary>
    /// Answers 200 text/event-stream and writes each piece with a flush (optionally waiting between them), then ends,
    /// hangs, or resets the connection (after <paramref name="AbortSignal"/> completes, when given, so a test can
    /// first read what was sent: a reset discards bytes the client has not read yet).
    /// </summary>
    public sealed record Sse(
        IReadOnlyList<byte[]> Pieces,
        TimeSpan DelayBetween = default,
        bool AbortAtEnd = false,
        bool HangAtEnd = false,
        string ContentType = "text/event-stream",
        Task? AbortSignal = null) : FakeScript;

    /// <summary>Never answers: waits until the client goes away.</summary>
    public sealed record Hang : FakeScript;

    /// <summary>Resets the connection before any response byte.</summary>
    public sealed record AbortBeforeHeaders : FakeScript;

    /// <summary>Sends headers with a Content-Length, part of the body, then resets the connection.</summary>
    public sealed record AbortMidBody(string PartialBody, int DeclaredLength) : FakeScript;

    /// <summary>An SSE script written one event (up to its blank line) at a time, waiting <paramref name="delayBetween"/> before each.</summary>
    public static Sse SseEvents(string sse, TimeSpan delayBetween) => new(
        [.. sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => System.Text.Encoding.UTF8.GetBytes(e + "\n\n"))],
        DelayBetween: delayBetween);

    /// <summary>An SSE script from whole text, written in pieces of <paramref name="pieceBytes"/> bytes.</summary>
    public static Sse SseText(string text, int pieceBytes = int.MaxValue, bool abortAtEnd = false)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var pieces = new List<byte[]>();
        for (var i = 0; i < bytes.Length; i += pieceBytes)
        {
            pieces.Add(bytes[i..Math.Min(bytes.Length, i + pieceBytes)]);
        }

        return new Sse(pieces, AbortAtEnd: abortAtEnd);
    }
}
