using GuardGateway.Core.Results;
using GuardGateway.Inference.Tokenization;
using Microsoft.Extensions.Options;

namespace GuardGateway.Server.Proxy;

/// <summary>
/// Decodes token-id prompts of <c>/v1/completions</c> so the guard can judge them: never passed through unjudged.
/// Needs <see cref="ProxyOptions.PromptTokenizerPath"/> (the backend model's Llama 3 tokenizer); without it such
/// prompts are refused. Special-token ids are refused too: they would be control tokens upstream, not text.
/// </summary>
internal sealed class PromptDecoder(IOptions<ProxyOptions> options)
{
    private readonly Lazy<Llama3Tokenizer?> tokenizer = new(
        () => options.Value.PromptTokenizerPath.Length == 0 ? null : Llama3Tokenizer.FromFile(options.Value.PromptTokenizerPath),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The text of a token-id prompt, or an invalid-request error.</summary>
    public Result<string> Decode(IReadOnlyList<int> ids)
    {
        if (tokenizer.Value is not { } loaded)
        {
            return GuardError.Invalid("Token-id prompts are not accepted: the gateway has no Proxy:PromptTokenizerPath to decode and moderate them. Send text prompts.");
        }

        foreach (var id in ids)
        {
            if (id >= loaded.VocabularySize || loaded.IsSpecialId(id))
            {
                return GuardError.Invalid("'prompt' contains a special or out-of-vocabulary token id.");
            }
        }

        return loaded.Decode(ids);
    }
}
