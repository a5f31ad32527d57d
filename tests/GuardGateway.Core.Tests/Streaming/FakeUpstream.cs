using System.Runtime.CompilerServices;
using GuardGateway.Core.Backends;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Core.Tests.Streaming;

/// <summary>A scripted upstream stream that records how far it was read and how it was left.</summary>
public sealed class FakeUpstream(IReadOnlyList<ChatStreamEvent> script)
{
    /// <summary>Throws an IOException instead of yielding the event at this position; -1 never.</summary>
    public int ThrowAt { get; init; } = -1;

    /// <summary>Waits (until cancelled) instead of yielding the event at this position; -1 never.</summary>
    public int StallAt { get; init; } = -1;

    /// <summary>Advanced by <see cref="Interval"/> before each event.</summary>
    public FakeTimeProvider? Clock { get; init; }

    public TimeSpan Interval { get; init; }

    public int Read { get; private set; }

    public bool Disposed { get; private set; }

    public bool SawCancellation { get; private set; }

    public bool ReadToEnd { get; private set; }

    public async IAsyncEnumerable<ChatStreamEvent> Events([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 0; i < script.Count; i++)
            {
                if (i == ThrowAt)
                {
                    throw new IOException("injected upstream fault");
                }

                if (i == StallAt)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                cancellationToken.ThrowIfCancellationRequested();
                Clock?.Advance(Interval);
                await Task.CompletedTask;
                Read++;
                yield return script[i];
            }

            ReadToEnd = true;
        }
        finally
        {
            Disposed = true;
            SawCancellation = cancellationToken.IsCancellationRequested;
        }
    }
}
