namespace GuardGateway.Core.TextSafety;

/// <summary>
/// Folds text into the form a guard should judge: compatibility forms, invisible characters and lookalike
/// letters removed, so obfuscation that a reader (or the upstream model) sees through cannot hide content
/// from the guard. Implementations are pure, thread-safe, linear in the input and idempotent.
/// </summary>
public interface ITextNormalizer
{
    /// <summary>Normalizes <paramref name="text"/>; never throws for any string, including ill-formed UTF-16.</summary>
    NormalizedText Normalize(string text);
}
