namespace GuardGateway.Core.TextSafety;

/// <summary>
/// Defuses text that imitates the guard's prompt template (conversation markers, role lines, the closing
/// instruction, fake answers, special-token literals) in a copy of a message, so a classification of that
/// copy cannot be steered by it. The faithful message is still classified as written; implementations are
/// pure, thread-safe, linear and idempotent.
/// </summary>
public interface IPromptNeutralizer
{
    /// <summary>Returns the neutralized copy of one message's content.</summary>
    NeutralizedText Neutralize(string content);
}
