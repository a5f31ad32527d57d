using GuardGateway.Core.Results;

namespace GuardGateway.Inference.Models;

/// <summary>Picks the ONNX graph of a model directory.</summary>
public static class GraphFileResolver
{
    /// <summary>
    /// The files tried, in order, when no graph file is configured: full precision first (the reference
    /// numerics), then the onnx-community variants from the most to the least faithful.
    /// </summary>
    public static IReadOnlyList<string> PreferenceOrder { get; } =
    [
        "model.onnx",
        "onnx/model.onnx",
        "onnx/model_fp16.onnx",
        "onnx/model_q4.onnx",
        "onnx/model_q4f16.onnx",
        "onnx/model_int8.onnx",
        "onnx/model_uint8.onnx",
        "onnx/model_quantized.onnx",
        "onnx/model_bnb4.onnx",
    ];

    /// <summary>The graph path, or a <see cref="GuardErrorCode.ModelInvalid"/> error naming what was looked for.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="graphFile">An explicit file (relative to the directory or absolute), or null.</param>
    public static Result<string> Resolve(string directory, string? graphFile)
    {
        if (!string.IsNullOrWhiteSpace(graphFile))
        {
            var explicitPath = Path.GetFullPath(Path.Combine(directory, graphFile));
            return File.Exists(explicitPath)
                ? explicitPath
                : new GuardError(GuardErrorCode.ModelInvalid, $"The configured graph file does not exist: {explicitPath}");
        }

        foreach (var candidate in PreferenceOrder)
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return Path.GetFullPath(path);
            }
        }

        var others = Directory.Exists(Path.Combine(directory, "onnx"))
            ? Directory.GetFiles(Path.Combine(directory, "onnx"), "*.onnx").Select(Path.GetFileName).ToArray()
            : [];
        var hint = others.Length > 0
            ? $" Found {string.Join(", ", others)}: set GraphFile to choose one."
            : string.Empty;
        return new GuardError(
            GuardErrorCode.ModelInvalid,
            $"No ONNX graph in {directory} (looked for {string.Join(", ", PreferenceOrder)}).{hint}");
    }
}
