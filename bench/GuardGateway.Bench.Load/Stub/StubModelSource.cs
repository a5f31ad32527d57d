using GuardGateway.Core.Classification;
using GuardGateway.Core.Results;
using GuardGateway.Server.Model;

namespace GuardGateway.Bench.Load.Stub;

/// <summary>Yields the stub classifier: registered before the server's own model source, the way the tests substitute it.</summary>
internal sealed class StubModelSource(StubClassifier classifier) : IGuardModelSource
{
    public string Location => "bench:" + classifier.Model.Name;

    public Task<Result<IGuardClassifier>> LoadAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Result.Success<IGuardClassifier>(classifier));
}
