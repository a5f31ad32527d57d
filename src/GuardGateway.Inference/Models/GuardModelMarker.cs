namespace GuardGateway.Inference.Models;

/// <summary>
/// <c>guardgateway_model.json</c>: what the project writes beside models it makes (forged test models,
/// the planted demo guard). Optional for real exports.
/// </summary>
/// <param name="IsDemo">True for models that are not safety models (every verdict says so).</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">What made it (e.g. <c>tiny-llama</c>, <c>planted-guard</c>).</param>
/// <param name="Formats">Prompt formats the model serves; null to decide by shape.</param>
public sealed record GuardModelMarker(bool IsDemo, string? Name, string? Kind, IReadOnlyList<string>? Formats)
{
    /// <summary>The marker file name.</summary>
    public const string FileName = "guardgateway_model.json";
}
