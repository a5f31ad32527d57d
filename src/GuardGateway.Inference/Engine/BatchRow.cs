namespace GuardGateway.Inference.Engine;

/// <summary>
/// The decoding state of one request inside a batch: the verdict rule of spec §5 (force <c>unsafe</c> when
/// P(unsafe) reaches the threshold, <c>safe</c> when the greedy choice is unsafe but P is under it), the
/// forced <c>\n S</c> after a forced <c>unsafe</c>, the category scores, greedy decoding and stop rules.
/// </summary>
internal sealed class BatchRow(PendingClassification request, int cachedPrefixLength)
{
    private readonly Queue<int> _forced = new();

    public PendingClassification Request { get; } = request;

    /// <summary>Leading prompt ids taken from the prefix cache.</summary>
    public int CachedPrefixLength { get; } = cachedPrefixLength;

    /// <summary>Prompt ids this batch runs through the model.</summary>
    public int NewLength => Request.PromptIds.Length - CachedPrefixLength;

    public List<int> Generated { get; } = new(8);

    public float UnsafeProbability { get; private set; } = float.NaN;

    /// <summary>Per enabled code, when the position after <c>unsafe\nS</c> was reached.</summary>
    public Dictionary<string, float>? CategoryScores { get; private set; }

    public bool Finished { get; private set; }

    public long FinishedTimestamp { get; private set; }

    public int LastToken => Generated[^1];

    /// <summary>Takes the logits of the position after the last fed token and picks the next token.</summary>
    public void Accept(ReadOnlySpan<float> logits, int maxNewTokens, long now)
    {
        int token;
        if (Generated.Count == 0)
        {
            UnsafeProbability = LogitsMath.UnsafeProbability(logits);
            var greedy = LogitsMath.ArgMax(logits);
            if (UnsafeProbability >= Request.Threshold)
            {
                token = GuardTokenIds.Unsafe;
                if (greedy != GuardTokenIds.Unsafe)
                {
                    // Forced verdict: force the grammar up to the category number too (spec §5).
                    _forced.Enqueue(GuardTokenIds.Newline);
                    _forced.Enqueue(GuardTokenIds.S);
                }
            }
            else
            {
                // Under the threshold the verdict is safe even where the greedy choice was unsafe; any
                // other token is kept so a broken model surfaces as a parse failure, never as safe.
                token = greedy == GuardTokenIds.Unsafe ? GuardTokenIds.Safe : greedy;
            }
        }
        else
        {
            if (CategoryScores is null && AtCategoryPosition())
            {
                CategoryScores = ScoreCategories(logits);
            }

            token = _forced.Count > 0 ? _forced.Dequeue() : LogitsMath.ArgMax(logits);
        }

        Generated.Add(token);
        if (GuardTokenIds.IsStop(token) || Generated.Count >= maxNewTokens)
        {
            Finished = true;
            FinishedTimestamp = now;
        }
    }

    private bool AtCategoryPosition() =>
        Generated.Count == 3 && Generated[0] == GuardTokenIds.Unsafe && Generated[1] == GuardTokenIds.Newline && Generated[2] == GuardTokenIds.S;

    private Dictionary<string, float> ScoreCategories(ReadOnlySpan<float> logits)
    {
        var codes = new List<string>(Request.EnabledCodes.Count);
        var ids = new List<int>(Request.EnabledCodes.Count);
        for (var i = 0; i < Request.EnabledCodes.Count; i++)
        {
            if (Request.CodeNumberTokens[i] >= 0 && Request.CodeNumberTokens[i] < logits.Length)
            {
                codes.Add(Request.EnabledCodes[i]);
                ids.Add(Request.CodeNumberTokens[i]);
            }
        }

        var scores = LogitsMath.ScaledSoftmax(logits, ids, UnsafeProbability);
        var result = new Dictionary<string, float>(codes.Count, StringComparer.Ordinal);
        for (var i = 0; i < codes.Count; i++)
        {
            result[codes[i]] = scores[i];
        }

        return result;
    }
}
