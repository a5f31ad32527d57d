namespace GuardGateway.Core.Backends;

/// <summary>The JSON shape a legacy <c>prompt</c> arrived in, so it is forwarded in the same shape.</summary>
public enum CompletionPromptShape
{
    /// <summary>A single string.</summary>
    SingleText,

    /// <summary>An array of strings (a batch of prompts).</summary>
    TextArray,

    /// <summary>An array of token ids (one prompt).</summary>
    SingleTokenIds,

    /// <summary>An array of arrays of token ids (a batch of prompts).</summary>
    TokenIdArrays,
}
