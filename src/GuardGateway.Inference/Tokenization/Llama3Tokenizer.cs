using System.Collections.Frozen;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace GuardGateway.Inference.Tokenization;

/// <summary>
/// The Llama 3 tokenizer: byte-level BPE with tiktoken ranks, built on Microsoft.ML.Tokenizers.
/// </summary>
/// <remarks>
/// The underlying <see cref="TiktokenTokenizer"/> is deliberately built without any special tokens, in
/// its vocabulary or its pre-tokenizer, so that no text can ever encode to a special id: a user who writes
/// <c>&lt;|eot_id|&gt;</c> gets ordinary text tokens (spec §3, RELIABILITY.md special-token injection).
/// Special ids enter a sequence only through <see cref="GetSpecialId"/>, which the prompt template calls.
/// </remarks>
public sealed partial class Llama3Tokenizer
{
    private readonly TiktokenTokenizer _text;
    private readonly FrozenDictionary<string, int> _specialIds;
    private readonly FrozenDictionary<int, string> _specialNames;

    private Llama3Tokenizer(TiktokenTokenizer text, IReadOnlyDictionary<string, int> specialTokens, int rankCount, string source)
    {
        _text = text;
        _specialIds = specialTokens.ToFrozenDictionary(StringComparer.Ordinal);
        _specialNames = specialTokens.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);
        RankCount = rankCount;
        Source = source;
        VocabularySize = Math.Max(rankCount, specialTokens.Count == 0 ? 0 : specialTokens.Values.Max() + 1);
    }

    /// <summary>Number of ordinary (BPE) ids the vocabulary file defines.</summary>
    public int RankCount { get; }

    /// <summary>Highest id + 1 (128,256 for every real Llama 3 tokenizer).</summary>
    public int VocabularySize { get; }

    /// <summary>Where the vocabulary came from (a path, or "embedded cl100k_base demo").</summary>
    public string Source { get; }

    /// <summary>
    /// Whether this tokenizer lacks part of the Llama 3 vocabulary (the offline demo tokenizer built from
    /// cl100k_base has no ids 100256–127999, so it is not exact for all text).
    /// </summary>
    public bool IsPartialVocabulary => RankCount < Llama3SpecialTokens.FirstSpecialId;

    /// <summary>The special tokens, by literal.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => _specialIds;

    /// <summary>Encodes text as plain text: special-token literals in it stay ordinary tokens, always.</summary>
    public int[] EncodeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var ids = _text.EncodeToIds(text, considerPreTokenization: true, considerNormalization: false);
        return [.. ids];
    }

    /// <summary>
    /// Encodes text and reports, for each token, the char offset where it starts; used to find where the
    /// conversation begins inside a prompt encoded in one call.
    /// </summary>
    public (int[] Ids, int[] StartOffsets) EncodeTextWithOffsets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = _text.EncodeToTokens(text, out _, considerPreTokenization: true, considerNormalization: false);
        var ids = new int[tokens.Count];
        var offsets = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            offsets[i] = tokens[i].Offset.Start.GetOffset(text.Length);
        }

        return (ids, offsets);
    }

    /// <summary>The id of a special token named by its literal (e.g. <c>&lt;|eot_id|&gt;</c>).</summary>
    /// <exception cref="KeyNotFoundException">The tokenizer file defines no such special token.</exception>
    public int GetSpecialId(string literal) =>
        _specialIds.TryGetValue(literal, out var id)
            ? id
            : throw new KeyNotFoundException($"The tokenizer ({Source}) defines no special token '{literal}'.");

    /// <summary>Whether an id is one of this tokenizer's special tokens.</summary>
    public bool IsSpecialId(int id) => _specialNames.ContainsKey(id);

    /// <summary>
    /// Decodes ids to text. Special ids render as their literal; ids the vocabulary lacks render as U+FFFD.
    /// Runs of ordinary ids are decoded together so multi-byte characters split across tokens survive.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (_specialNames.TryGetValue(id, out var literal))
            {
                FlushRun(text, run);
                text.Append(literal);
            }
            else if (id < 0 || id >= RankCount)
            {
                FlushRun(text, run);
                text.Append('\uFFFD');
            }
            else
            {
                run.Add(id);
            }
        }

        FlushRun(text, run);
        return text.ToString();
    }

    private void FlushRun(StringBuilder text, List<int> run)
    {
        if (run.Count == 0)
        {
            return;
        }

        text.Append(_text.Decode(run));
        run.Clear();
    }
}
