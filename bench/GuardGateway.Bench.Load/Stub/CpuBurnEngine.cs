using System.Threading.Channels;

namespace GuardGateway.Bench.Load.Stub;

/// <summary>
/// The stand-in for the inference engine's worker: a fixed set of dedicated threads (not thread-pool threads, like
/// ONNX Runtime's own) that each burn a fixed amount of CPU per call, in arrival order. Callers await; the queue is
/// unbounded here because the gateway's classifier limiter bounds what reaches it.
/// </summary>
internal sealed class CpuBurnEngine : IDisposable
{
    private readonly Channel<TaskCompletionSource> queue = Channel.CreateUnbounded<TaskCompletionSource>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Thread[] workers;
    private readonly long burnNanoseconds;

    public CpuBurnEngine(TimeSpan burnPerCall, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        burnNanoseconds = (long)(burnPerCall.TotalMilliseconds * 1_000_000);
        workers = [.. Enumerable.Range(0, threads).Select(i => new Thread(Work) { IsBackground = true, Name = "stub-engine-" + i })];
        foreach (var worker in workers)
        {
            worker.Start();
        }
    }

    public TimeSpan BurnPerCall => TimeSpan.FromTicks(burnNanoseconds / 100);

    public int Threads => workers.Length;

    /// <summary>Completes once a worker has burned one call's CPU.</summary>
    public Task BurnAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite(done))
        {
            done.SetException(new ObjectDisposedException(nameof(CpuBurnEngine)));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        foreach (var worker in workers)
        {
            worker.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Work()
    {
        var reader = queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var call))
            {
                if (call.Task.IsCompleted)
                {
                    continue;
                }

                Burn();
                call.TrySetResult();
            }
        }
    }

    private void Burn()
    {
        var until = ThreadCpuClock.NowNanoseconds() + burnNanoseconds;
        var x = 0UL;
        while (ThreadCpuClock.NowNanoseconds() < until)
        {
            for (var i = 0; i < 2_000; i++)
            {
                x = (x * 6364136223846793005UL) + 1442695040888963407UL;
            }
        }

        GC.KeepAlive(x);
    }
}
