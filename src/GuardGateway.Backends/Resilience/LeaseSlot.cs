using System.Threading.RateLimiting;
using Polly;

namespace GuardGateway.Backends.Resilience;

/// <summary>
/// Lets a stream keep its concurrency permit after the pipeline call that opened it returns. The pipeline's limiter
/// releases its lease when the callback ends; for a stream the callback ends at the response headers, while the
/// backend keeps working until the stream is done. When a slot is in the context, the limiter hands the real lease to
/// the slot and gives the pipeline a lease whose disposal does nothing; the stream disposes the slot at its end.
/// </summary>
internal sealed class LeaseSlot : IDisposable
{
    public static readonly ResiliencePropertyKey<LeaseSlot> Key = new("GuardGateway.Backends.LeaseSlot");

    private RateLimitLease? _lease;

    public RateLimitLease Hold(RateLimitLease lease)
    {
        Interlocked.Exchange(ref _lease, lease)?.Dispose();
        return new HeldLease(lease);
    }

    public void Dispose() => Interlocked.Exchange(ref _lease, null)?.Dispose();

    private sealed class HeldLease(RateLimitLease inner) : RateLimitLease
    {
        public override bool IsAcquired => inner.IsAcquired;

        public override IEnumerable<string> MetadataNames => inner.MetadataNames;

        public override bool TryGetMetadata(string metadataName, out object? metadata) => inner.TryGetMetadata(metadataName, out metadata);

        protected override void Dispose(bool disposing)
        {
            // The slot owns the real lease; nothing of this wrapper to release.
            base.Dispose(disposing);
        }
    }
}
