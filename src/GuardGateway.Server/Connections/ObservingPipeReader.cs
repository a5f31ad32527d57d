using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace GuardGateway.Server.Connections;

/// <summary>
/// A <see cref="PipeReader"/> that hands the inner reader's buffers on unchanged and shows every byte to a
/// <see cref="Http2PingWatch"/> exactly once: bytes the consumer left unconsumed (and so reads again) were already
/// seen. No copies and no allocation per read.
/// </summary>
internal sealed class ObservingPipeReader(PipeReader inner, Http2PingWatch watch) : PipeReader
{
    private ReadOnlySequence<byte> last;
    private long seen;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            var result = read.Result;
            Observe(result.Buffer);
            return new ValueTask<ReadResult>(result);
        }

        return AwaitAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Observe(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        // What stays in the pipe after this was seen: the next read starts with it.
        seen = last.Slice(consumed).Length;
        last = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitAsync(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        Observe(result.Buffer);
        return result;
    }

    private void Observe(in ReadOnlySequence<byte> buffer)
    {
        last = buffer;
        if (buffer.Length > seen)
        {
            watch.Observe(seen == 0 ? buffer : buffer.Slice(seen));
        }

        seen = buffer.Length;
    }
}
