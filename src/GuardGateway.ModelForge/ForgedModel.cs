namespace GuardGateway.ModelForge;

/// <summary>A forged model directory and its files.</summary>
/// <param name="Kind">The forge kind (<see cref="Forge.TinyLlamaKind"/> or <see cref="Forge.PlantedGuardKind"/>).</param>
/// <param name="Directory">The model directory (what the gateway is pointed at).</param>
/// <param name="ModelPath">The graph, <c>model.onnx</c>.</param>
/// <param name="ExternalDataPath">The external weights file, <c>model.onnx_data</c>, or null when every tensor is inline.</param>
/// <param name="TokenizerPath">The copied tokenizer file, or null when the offline demo tokenizer is meant.</param>
public sealed record ForgedModel(string Kind, string Directory, string ModelPath, string? ExternalDataPath, string? TokenizerPath);
