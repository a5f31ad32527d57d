using Grpc.Core;
using GuardGateway.Backends.KServe.Protocol;
using GuardGateway.Backends.Resilience;

namespace GuardGateway.Backends.KServe;

/// <summary>What an open <c>ModelStreamInfer</c> call holds: released once, by the reader at its end or by disposal.</summary>
internal sealed class KServeStreamResources(
    AsyncDuplexStreamingCall<ModelInferRequest, ModelStreamInferResponse> call,
    CancellationTokenSource callCancellation,
    LeaseSlot leaseSlot) : IDisposable
{
    private int _released;

    public AsyncDuplexStreamingCall<ModelInferRequest, ModelStreamInferResponse> Call { get; } = call;

    /// <summary>Cancelled when the session is released; it is also the call's own token, so the server sees it.</summary>
    public CancellationToken CallToken { get; } = callCancellation.Token;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        // Cancel first so an unfinished call is reset (the server observes the cancellation), then release.
        callCancellation.Cancel();
        Call.Dispose();
        leaseSlot.Dispose();

        // Linked to the caller's token: disposing removes that registration. Already cancelled, so late readers of
        // CallToken still see IsCancellationRequested.
        callCancellation.Dispose();
    }
}
