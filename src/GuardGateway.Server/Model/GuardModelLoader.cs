using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GuardGateway.Server.Model;

/// <summary>
/// Loads the model in the background after the endpoints are up, so probes see NOT_SERVING until it is
/// ready instead of a server that does not answer.
/// </summary>
internal sealed class GuardModelLoader(IGuardModelSource source, GuardModelState state, TimeProvider time, ILogger<GuardModelLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting first: forging and session creation take seconds.
        await Task.Yield();
        var started = time.GetTimestamp();
        Result<IGuardClassifier> loaded;
        try
        {
            loaded = await source.LoadAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A model that cannot load must leave the server up and NOT_SERVING, not crash the host.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            loaded = new GuardError(GuardErrorCode.ModelInvalid, $"Loading the model threw {exception.GetType().Name}.");
        }

        if (!loaded.IsSuccess)
        {
            ServerLog.ModelLoadFailed(logger, loaded.Error.Code.ToString(), loaded.Error.Message);
            state.SetFailed(loaded.Error);
            return;
        }

        var model = loaded.Value.Model;
        state.SetLoaded(loaded.Value);
        var formats = string.Join(',', model.SupportedFormats);
        var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
        ServerLog.ModelLoaded(logger, model.Name, model.IsDemo, formats, elapsedMs);
        if (model.IsDemo)
        {
            ServerLog.DemoModelInUse(logger, model.Name);
        }

    }
}
