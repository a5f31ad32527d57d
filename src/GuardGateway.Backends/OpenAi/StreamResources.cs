using GuardGateway.Backends.Resilience;

namespace GuardGateway.Backends.OpenAi;

/// <summary>What an open HTTP stream holds: released once, by the reader at its end or by the session's disposal.</summary>
internal sealed class StreamResources(HttpResponseMessage response, LeaseSlot leaseSlot) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private int _released;

    public HttpResponseMessage Response { get; } = response;

    /// <summary>Cancelled when the session is disposed, so a pending read ends at once.</summary>
    public CancellationToken DisposedToken => _disposed.Token;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _disposed.Cancel();

        // Disposing an unfinished response aborts the request: the backend sees the cancellation.
        Response.Dispose();
        leaseSlot.Dispose();

        // The token source is not disposed: a reader may still look at DisposedToken, and it holds no timer.
    }
}
