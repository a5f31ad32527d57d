using GuardGateway.Core.Results;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace GuardGateway.Backends.Resilience;

/// <summary>Runs attempts of one backend through its pipeline and maps every outcome to a <see cref="Result{T}"/>.</summary>
internal sealed class BackendCallRunner(string backendName, ResiliencePipeline pipeline)
{
    public string BackendName { get; } = backendName;

    public ResiliencePipeline Pipeline { get; } = pipeline;

    /// <summary>Runs <paramref name="attempt"/> (once, or again while it fails retryably).</summary>
    /// <param name="attempt">One attempt; it gets the attempt's token (attempt timeout, total timeout and caller linked).</param>
    /// <param name="state">State for the attempt.</param>
    /// <param name="leaseSlot">For streams: receives the concurrency permit, which then outlives this call.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public async Task<Result<T>> RunAsync<T, TState>(
        Func<TState, CancellationToken, ValueTask<AttemptOutcome<T>>> attempt,
        TState state,
        LeaseSlot? leaseSlot,
        CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (leaseSlot is not null)
        {
            context.Properties.Set(LeaseSlot.Key, leaseSlot);
        }

        try
        {
            var outcome = await Pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.attempt(s.state, ctx.CancellationToken));
                    }
                    catch (Exception e)
                    {
                        // Cancellations must reach the timeout strategies as exceptions so they can tell their own
                        // timeout from the caller's cancellation.
                        return Outcome.FromException<AttemptOutcome<T>>(e);
                    }
                },
                context,
                (attempt, state));
            return Map(outcome, cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Result<T> Map<T>(Outcome<AttemptOutcome<T>> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is null)
        {
            var result = outcome.Result!;
            return result.Failure is null ? result.Value! : result.Failure.Error;
        }

        return outcome.Exception switch
        {
            TimeoutRejectedException => new GuardError(GuardErrorCode.BackendTimeout, $"Backend '{BackendName}' did not answer in time."),
            BrokenCircuitException => new GuardError(GuardErrorCode.BackendUnavailable, $"Backend '{BackendName}' is unavailable (circuit open)."),
            RateLimiterRejectedException => new GuardError(GuardErrorCode.BackendOverloaded, $"Backend '{BackendName}' is at its concurrency limit."),
            OperationCanceledException when cancellationToken.IsCancellationRequested => new GuardError(GuardErrorCode.Cancelled, "The call was cancelled."),
            _ => throw new InvalidOperationException($"Unexpected failure calling backend '{BackendName}'.", outcome.Exception),
        };
    }
}
