namespace GuardGateway.Core.Results;

/// <summary>
/// Expected failures, carried as values and mapped once at the edge (gRPC status, HTTP error).
/// Every code other than <see cref="InvalidRequest"/> means "no verdict": never "safe".
/// </summary>
public enum GuardErrorCode
{
    /// <summary>The caller's input is malformed (empty conversation, roles out of order, unknown format).</summary>
    InvalidRequest,

    /// <summary>The prompt exceeds the configured token limit. Never truncated silently.</summary>
    PromptTooLong,

    /// <summary>The inference queue is full; rejected at once.</summary>
    QueueFull,

    /// <summary>The caller cancelled or the deadline passed.</summary>
    Cancelled,

    /// <summary>The model's output did not follow the Llama Guard grammar.</summary>
    ParseFailure,

    /// <summary>The runtime failed while classifying.</summary>
    ClassifierFailure,

    /// <summary>The model directory or graph is unusable.</summary>
    ModelInvalid,

    /// <summary>The request names a policy id that is not loaded (never produced by a classifier).</summary>
    PolicyNotFound,

    /// <summary>
    /// No usable policy: none loaded, the default is missing, or the selected policy's format cannot be
    /// served by the loaded model (never produced by a classifier). Nothing is forwarded: fail closed.
    /// </summary>
    PolicyUnavailable,
}
