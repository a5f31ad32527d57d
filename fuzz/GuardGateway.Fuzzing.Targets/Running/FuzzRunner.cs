using System.Diagnostics;

namespace GuardGateway.Fuzzing.Targets.Running;

/// <summary>
/// Runs a target over inputs on a worker thread, watched from the calling thread: an exception leaving the target
/// is a crash; an input running past <see cref="FuzzRunOptions.PerInputLimit"/> is a hang, detected while it
/// still runs (the watchdog) or after it returned (its measured time). A hung input cannot be aborted in .NET:
/// the run stops, reports it, and leaves the background worker behind.
/// </summary>
public static class FuzzRunner
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Replays fixed inputs (a corpus), all of them, with the per-input limit of <paramref name="options"/>.</summary>
    public static FuzzRunReport Replay(IFuzzTarget target, IEnumerable<byte[]> inputs, FuzzRunOptions options, CancellationToken cancellationToken) =>
        Run(target, inputs, options with { MaxExecutions = long.MaxValue, MaxDuration = TimeSpan.MaxValue, MaxFindings = int.MaxValue }, cancellationToken);

    /// <summary>The built-in mutation loop over <paramref name="corpus"/>, bounded by count and time.</summary>
    public static FuzzRunReport Mutate(IFuzzTarget target, IReadOnlyList<byte[]> corpus, FuzzRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var mutator = new Mutator(options.Seed, corpus, target.Dictionary, options.MaxInputLength);
        return Run(target, Generate(corpus, mutator), options, cancellationToken);
    }

    /// <summary>The corpus first (mutants are only as good as their seeds), then mutants without end.</summary>
    private static IEnumerable<byte[]> Generate(IReadOnlyList<byte[]> corpus, Mutator mutator)
    {
        foreach (var seed in corpus)
        {
            yield return seed;
        }

        while (true)
        {
            yield return mutator.Next();
        }
    }

    private static FuzzRunReport Run(IFuzzTarget target, IEnumerable<byte[]> inputs, FuzzRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var state = new RunState();
        var total = Stopwatch.StartNew();
        var worker = new Thread(() => Work(target, inputs, options, state, total, cancellationToken), 16 * 1024 * 1024)
        {
            IsBackground = true,
            Name = "fuzz-" + target.Name,
        };
        worker.Start();
        var limitTicks = (long)(options.PerInputLimit.TotalSeconds * Stopwatch.Frequency);
        while (!worker.Join(WatchInterval))
        {
            var started = Interlocked.Read(ref state.InputStarted);
            if (started != 0 && Stopwatch.GetTimestamp() - started > limitTicks && Volatile.Read(ref state.Current) is { } current)
            {
                lock (state.Findings)
                {
                    state.Findings.Add(new FuzzFinding("hang", current, $"still running after {options.PerInputLimit.TotalSeconds:0.#} s"));
                }

                break;
            }
        }

        lock (state.Findings)
        {
            return new FuzzRunReport(target.Name, Interlocked.Read(ref state.Executions), total.Elapsed, TimeSpan.FromTicks(state.SlowestTicks), [.. state.Findings]);
        }
    }

    private static void Work(IFuzzTarget target, IEnumerable<byte[]> inputs, FuzzRunOptions options, RunState state, Stopwatch total, CancellationToken cancellationToken)
    {
        // Warm-up, untimed: one-time loading (the demo tokenizer, JIT) is not a hang. A crash here still counts.
        try
        {
            target.Execute([]);
        }
#pragma warning disable CA1031 // Any exception leaving a target is exactly what is being looked for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (state.Findings)
            {
                state.Findings.Add(new FuzzFinding("crash", [], $"{e.GetType().FullName}: {e.Message}{Environment.NewLine}{e.StackTrace}"));
            }

            return;
        }

        foreach (var input in inputs)
        {
            if (cancellationToken.IsCancellationRequested || state.Executions >= options.MaxExecutions || total.Elapsed >= options.MaxDuration)
            {
                return;
            }

            Volatile.Write(ref state.Current, input);
            var started = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref state.InputStarted, started);
            FuzzFinding? finding = null;
            try
            {
                target.Execute(input);
            }
#pragma warning disable CA1031 // Any exception leaving a target is exactly what is being looked for.
            catch (Exception e)
#pragma warning restore CA1031
            {
                finding = new FuzzFinding("crash", input, $"{e.GetType().FullName}: {e.Message}{Environment.NewLine}{e.StackTrace}");
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Interlocked.Exchange(ref state.InputStarted, 0);
            state.SlowestTicks = Math.Max(state.SlowestTicks, elapsed.Ticks);
            if (finding is null && elapsed > options.PerInputLimit)
            {
                finding = new FuzzFinding("hang", input, $"took {elapsed.TotalMilliseconds:F0} ms");
            }

            Interlocked.Increment(ref state.Executions);
            if (finding is not null)
            {
                lock (state.Findings)
                {
                    state.Findings.Add(finding);
                    if (state.Findings.Count >= options.MaxFindings)
                    {
                        return;
                    }
                }
            }
        }
    }

    private sealed class RunState
    {
#pragma warning disable SA1401, CA1051 // Shared with the watchdog through Interlocked/Volatile; fields are the point.
        public readonly List<FuzzFinding> Findings = [];
        public long Executions;
        public long InputStarted;
        public long SlowestTicks;
        public byte[]? Current;
#pragma warning restore SA1401, CA1051
    }
}
