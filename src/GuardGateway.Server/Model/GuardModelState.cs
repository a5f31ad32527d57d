using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Model;

/// <summary>The classifier once loaded, or why it is not (yet). Read by the services and by health.</summary>
internal sealed class GuardModelState : IAsyncDisposable
{
    private volatile IGuardClassifier? classifier;
    private volatile GuardError? failure;

    /// <summary>The loaded classifier; null while loading or after a failed load.</summary>
    public IGuardClassifier? Classifier => classifier;

    /// <summary>Why loading failed; null while loading or once loaded.</summary>
    public GuardError? Failure => failure;

    /// <summary>Publishes the loaded classifier.</summary>
    public void SetLoaded(IGuardClassifier loaded) => classifier = loaded;

    /// <summary>Publishes a load failure.</summary>
    public void SetFailed(GuardError error) => failure = error;

    /// <summary>Shuts the engine down with the host (its worker and ONNX Runtime session).</summary>
    public async ValueTask DisposeAsync()
    {
        switch (classifier)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
