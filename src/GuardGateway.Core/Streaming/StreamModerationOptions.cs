namespace GuardGateway.Core.Streaming;

/// <summary>
/// When a <see cref="StreamModerator"/> asks the guard about a streamed answer. Every check judges the whole
/// answer so far (content and tool calls of one choice) with the conversation as context; text is released
/// to the client only after a check that covered it allowed it. A final check always covers the whole answer
/// before a choice or the stream ends cleanly.
/// </summary>
public sealed record StreamModerationOptions
{
    /// <summary>The defaults: a check every 200 characters and at sentence ends (after at least 24 new characters).</summary>
    public static StreamModerationOptions Default { get; } = new();

    /// <summary>
    /// Check when at least this many characters (UTF-16 code units, content plus tool-call names and
    /// arguments) arrived since the last check. Default 200 (about 50 Llama 3 tokens). 0 turns the character
    /// interval off (then only <see cref="CheckIntervalTokens"/>, sentence ends and the final check apply).
    /// </summary>
    public int CheckIntervalChars { get; init; } = 200;

    /// <summary>
    /// Check when at least this many text-bearing upstream deltas arrived since the last check. OpenAI-compatible
    /// servers (vLLM, TGI, llama.cpp, Ollama) send about one token per delta, so this approximates a token
    /// interval. Default 0 (off).
    /// </summary>
    public int CheckIntervalTokens { get; init; }

    /// <summary>
    /// Also check when the content reaches a sentence end (<c>. ! ? … 。 ！ ？</c> followed by whitespace) or a
    /// line break, so complete sentences are released early. Default true.
    /// </summary>
    public bool CheckAtSentenceEnds { get; init; } = true;

    /// <summary>
    /// The least number of unchecked characters for a sentence-end check, so a run of short lines does not
    /// cost a guard call each. Default 24.
    /// </summary>
    public int MinSentenceCheckChars { get; init; } = 24;

    /// <summary>
    /// Before the final check, verified text is released only up to its last whitespace when the word after
    /// it is at most this long (UTF-16 code units): a word cut by a check point is held back until a later check
    /// covers its end, so fragments of a phrase the guard has not seen whole are less likely to leave. Longer
    /// runs without whitespace (code, CJK text) are released whole. Default 32; 0 releases everything verified.
    /// </summary>
    public int MaxHeldWordChars { get; init; } = 32;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(CheckIntervalChars);
        ArgumentOutOfRangeException.ThrowIfNegative(CheckIntervalTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(MinSentenceCheckChars);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHeldWordChars);
    }
}
