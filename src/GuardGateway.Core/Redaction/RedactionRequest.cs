namespace GuardGateway.Core.Redaction;

/// <summary>What to redact in one text.</summary>
public sealed record RedactionRequest
{
    /// <summary>The text to redact (model output, or user input for <c>input: redact</c>).</summary>
    public required string Text { get; init; }

    /// <summary>
    /// The replacement template, the policy's <c>redaction</c> (default <c>[removed: {code} {name}]</c>).
    /// <c>{code}</c> and <c>{name}</c> are substituted; when one replacement covers several categories, the
    /// part of the template from the first to the last placeholder repeats once per category, joined by
    /// <c>", "</c> (<c>[removed: S1 Violent Crimes, S7 Privacy]</c>).
    /// </summary>
    public string Template { get; init; } = "[removed: {code} {name}]";

    /// <summary>
    /// The categories the guard reported for the whole text whose action is <c>redact</c>. When not empty,
    /// the segments are classified and each of these categories must be found in at least one flagged
    /// segment, or the outcome is <see cref="RedactionOutcome.NotLocalized"/>. When empty, no segment is
    /// classified (only personal-data patterns run).
    /// </summary>
    public IReadOnlyList<RedactionCategory> UnsafeCategories { get; init; } = [];

    /// <summary>
    /// When set, personal-data patterns (e-mail, phone, payment card, IBAN, IP address, API keys and
    /// private keys) are detected and replaced, attributed to this category (the policy's <c>S7</c>
    /// Privacy). Null turns pattern detection off. Pattern matches never count as localizing a category.
    /// </summary>
    public RedactionCategory? PersonalDataCategory { get; init; }
}
