namespace GuardGateway.Core.Classification;

/// <summary>What a classifier runs.</summary>
/// <param name="Name">Display name reported in every decision (e.g. <c>Llama-Guard-3-1B</c>, or a demo label).</param>
/// <param name="SupportedFormats">Prompt format ids the model can serve.</param>
/// <param name="IsDemo">True for the planted demo guard: not a safety model, and every response says so.</param>
public sealed record GuardModelInfo(string Name, IReadOnlyList<string> SupportedFormats, bool IsDemo);
