using Microsoft.Extensions.Logging;

namespace GuardGateway.Inference.Engine;

/// <summary>
/// What ONNX Runtime loads: the graph file as is, or an edited copy in memory (lm_head on the last
/// position only, see <see cref="LastPositionLogitsRewriter"/>).
/// </summary>
/// <param name="EditedModel">The edited model bytes, or null to load the file.</param>
internal sealed record GraphSource(byte[]? EditedModel)
{
    /// <summary>Graph files above this size are loaded unedited (the edit would hold a copy in memory).</summary>
    private const long MaxEditableBytes = 512L * 1024 * 1024;

    public static GraphSource Prepare(string graphPath, bool editForLastPosition, ILogger logger)
    {
        if (!editForLastPosition || new FileInfo(graphPath).Length > MaxEditableBytes)
        {
            return new GraphSource((byte[]?)null);
        }

        var edited = LastPositionLogitsRewriter.TryRewrite(File.ReadAllBytes(graphPath), out var reason);
        if (edited is null)
        {
            EngineLog.LastPositionEditSkipped(logger, reason);
        }

        return new GraphSource(edited);
    }
}
