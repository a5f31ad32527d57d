namespace GuardGateway.Core.TextSafety;

/// <summary>The result of <see cref="IPromptNeutralizer.Neutralize"/>.</summary>
/// <param name="Text">The neutralized content (the input instance itself when nothing changed).</param>
/// <param name="DefusedCount">How many template look-alikes were rewritten (brackets, line breaks, role lines, phrases).</param>
public sealed record NeutralizedText(string Text, int DefusedCount)
{
    /// <summary>True when <see cref="Text"/> differs from the input.</summary>
    public bool Changed => DefusedCount > 0;
}
