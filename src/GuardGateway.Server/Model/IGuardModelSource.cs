using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;

namespace GuardGateway.Server.Model;

/// <summary>
/// Produces the classifier the service runs. The production source loads the ONNX engine (forging the demo
/// guard first when no model path is set); tests substitute a source that yields a fake classifier.
/// </summary>
public interface IGuardModelSource
{
    /// <summary>Where the model comes from, for logs and health detail (a path, or a fake's name).</summary>
    string Location { get; }

    /// <summary>Loads the model; failures are values (the service then stays NOT_SERVING).</summary>
    Task<Result<IGuardClassifier>> LoadAsync(CancellationToken cancellationToken);
}
