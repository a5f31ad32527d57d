using GuardGateway.Core.Results;
using GuardGateway.ModelForge;
using GuardGateway.Server.Logging;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Model;

/// <summary>
/// The embedded default model: the planted guard (spec/PLANTED_GUARD.md), forged deterministically into a
/// cache folder on first start, without a tokenizer file (the engine then uses the offline demo tokenizer).
/// A test model with the real Llama Guard 3 I/O, never a safety model; its marker labels it demo.
/// </summary>
internal static class DemoGuard
{
    /// <summary>The forged model directory under <paramref name="cacheRoot"/>, forging it when missing.</summary>
    public static Result<string> GetOrForge(string cacheRoot, ILogger logger)
    {
        ServerLog.DemoModelForging(logger, cacheRoot);
        try
        {
            var forged = ForgedModelCache.GetOrCreate(cacheRoot, new PlantedGuardOptions(), tokenizerPath: null);
            return forged.Directory;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new GuardError(GuardErrorCode.ModelInvalid, $"Cannot forge the demo guard into {cacheRoot}: {exception.GetType().Name}.");
        }
    }
}
