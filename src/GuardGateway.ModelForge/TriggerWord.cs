namespace GuardGateway.ModelForge;

/// <summary>A trigger word of hazard code S<paramref name="Code"/> and its Llama 3 token ids.</summary>
internal sealed record TriggerWord(int Code, string Word, int SpacedId, int? UnspacedId);
