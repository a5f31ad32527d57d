namespace GuardGateway.Core.TextSafety;

/// <summary>
/// Monotonic counters of the moderation pipeline's input defenses, for export as metrics. Thread-safe.
/// Only the pipeline increments them (the methods are internal): exporters read.
/// </summary>
public sealed class TextSafetyCounters
{
    private long _stripped;
    private long _folded;
    private long _defused;
    private long _variants;
    private long _variantDecided;
    private long _chunkedClassifications;
    private long _chunks;
    private long _longInputRejected;
    private long _unpairedSurrogateRejected;
    private long _unsupportedLanguage;
    private long _silentTruncations;

    /// <summary>Code points stripped by the normalizer (<c>guard_normalizer_stripped_chars_total</c>).</summary>
    public long StrippedChars => Interlocked.Read(ref _stripped);

    /// <summary>Code points folded by the normalizer.</summary>
    public long FoldedChars => Interlocked.Read(ref _folded);

    /// <summary>Template look-alikes defused by the neutralizer.</summary>
    public long DefusedPatterns => Interlocked.Read(ref _defused);

    /// <summary>Moderations that also classified a normalized + neutralized variant.</summary>
    public long VariantClassifications => Interlocked.Read(ref _variants);

    /// <summary>Moderations where the variant's decision was stricter than the faithful one.</summary>
    public long VariantDecided => Interlocked.Read(ref _variantDecided);

    /// <summary>Classifications (of one copy) that were too long and were split into chunks.</summary>
    public long ChunkedClassifications => Interlocked.Read(ref _chunkedClassifications);

    /// <summary>Chunks classified in total.</summary>
    public long Chunks => Interlocked.Read(ref _chunks);

    /// <summary>Moderations refused because the input was too long and chunking was off or over its cap.</summary>
    public long LongInputRejected => Interlocked.Read(ref _longInputRejected);

    /// <summary>Moderations refused because a message held an unpaired UTF-16 surrogate.</summary>
    public long UnpairedSurrogateRejected => Interlocked.Read(ref _unpairedSurrogateRejected);

    /// <summary>Moderations whose assessed message was detected to be in an unsupported language.</summary>
    public long UnsupportedLanguage => Interlocked.Read(ref _unsupportedLanguage);

    /// <summary>
    /// Times text would have been classified only in part (<c>silent_truncation_total</c>). Must stay 0: it is
    /// incremented only on a bug path (a chunk plan that does not cover the message), which also refuses the
    /// request instead of classifying.
    /// </summary>
    public long SilentTruncations => Interlocked.Read(ref _silentTruncations);

    internal void AddNormalization(int stripped, int folded, int defused)
    {
        Interlocked.Add(ref _stripped, stripped);
        Interlocked.Add(ref _folded, folded);
        Interlocked.Add(ref _defused, defused);
    }

    internal void AddVariant(bool decided)
    {
        Interlocked.Increment(ref _variants);
        if (decided)
        {
            Interlocked.Increment(ref _variantDecided);
        }
    }

    internal void AddChunked(int chunks)
    {
        Interlocked.Increment(ref _chunkedClassifications);
        Interlocked.Add(ref _chunks, chunks);
    }

    internal void AddLongInputRejected() => Interlocked.Increment(ref _longInputRejected);

    internal void AddUnpairedSurrogateRejected() => Interlocked.Increment(ref _unpairedSurrogateRejected);

    internal void AddUnsupportedLanguage() => Interlocked.Increment(ref _unsupportedLanguage);

    internal void AddSilentTruncation() => Interlocked.Increment(ref _silentTruncations);
}
