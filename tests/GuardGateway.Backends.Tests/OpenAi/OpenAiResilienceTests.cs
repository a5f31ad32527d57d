using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Tests.Fakes;
using GuardGateway.Core.Backends;
using GuardGateway.Core.Results;
using Microsoft.Extensions.Time.Testing;

namespace GuardGateway.Backends.Tests.OpenAi;

/// <summary>Timeouts, cancellation, the circuit breaker and the concurrency limit, with a fake clock where time matters.</summary>
public sealed class OpenAiResilienceTests : IAsyncLifetime
{
    private static readonly TimeSpan ServerObservesWithin = TimeSpan.FromSeconds(5);
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Advances the fake clock until <paramref name="task"/> completes (bounded), since timers are armed asynchronously.</summary>
    private static async Task<T> AdvanceUntilAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        for (var i = 0; i < 200 && !task.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(25));
        }

        Assert.True(task.IsCompleted, "the call did not end after the fake clock passed its timeout");
        return await task;
    }

    [Fact]
    public async Task CompleteAsync_BackendHangs_AttemptTimeoutGivesBackendTimeoutAndServerSeesAbort()
    {
        _server.Script = _ => new FakeScript.Hang();
        var time = new FakeTimeProvider();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
        }, time);

        var call = harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);
        var request = await _server.WaitForRequestAsync(1);
        var result = await AdvanceUntilAsync(time, call, TimeSpan.FromSeconds(1));

        Assert.Equal(GuardErrorCode.BackendTimeout, result.Error!.Code);
        await request.Aborted.Task.WaitAsync(ServerObservesWithin);
        Assert.Equal(1, _server.RequestCount); // a timed-out attempt may have started generating: never retried
    }

    [Fact]
    public async Task CompleteAsync_CallerCancels_CancelledAndServerSeesAbort()
    {
        _server.Script = _ => new FakeScript.Hang();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);
        using var cts = new CancellationTokenSource();

        var call = harness.Backend.CompleteAsync(TestRequests.Chat(), cts.Token);
        var request = await _server.WaitForRequestAsync(1);
        await cts.CancelAsync();
        var result = await call.WaitAsync(ServerObservesWithin);

        Assert.Equal(GuardErrorCode.Cancelled, result.Error!.Code);
        await request.Aborted.Task.WaitAsync(ServerObservesWithin);
    }

    [Fact]
    public async Task StreamAsync_CallerCancelsMidStream_CancelledEventAndServerSeesAbort()
    {
        _server.Script = _ => new FakeScript.Sse([System.Text.Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "first") + "\n\n")], HangAtEnd: true);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi);
        using var cts = new CancellationTokenSource();

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), cts.Token)).GetValueOrThrow();
        await using var events = session.Events.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<ChatStreamChunkEvent>(events.Current);
        var next = events.MoveNextAsync().AsTask();
        await cts.CancelAsync();

        Assert.True(await next.WaitAsync(ServerObservesWithin));
        Assert.Equal(GuardErrorCode.Cancelled, Assert.IsType<ChatStreamFailed>(events.Current).Error.Code);
        await _server.Requests[0].Aborted.Task.WaitAsync(ServerObservesWithin);
    }

    [Fact]
    public async Task StreamAsync_BackendGoesSilent_IdleTimeoutFailsStream()
    {
        _server.Script = _ => new FakeScript.Sse([System.Text.Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "first") + "\n\n")], HangAtEnd: true);
        var time = new FakeTimeProvider();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.StreamIdleTimeout = TimeSpan.FromSeconds(30), time);

        await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        await using var events = session.Events.GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        Assert.True(await AdvanceUntilAsync(time, events.MoveNextAsync().AsTask(), TimeSpan.FromSeconds(10)));

        Assert.Equal(GuardErrorCode.BackendTimeout, Assert.IsType<ChatStreamFailed>(events.Current).Error.Code);
        Assert.False(await events.MoveNextAsync());
        await _server.Requests[0].Aborted.Task.WaitAsync(ServerObservesWithin);
    }

    [Fact]
    public async Task StreamAsync_OpenStreamHoldsPermit_NextCallOverloadedUntilDisposed()
    {
        _server.Script = r => r.Number == 1
            ? new FakeScript.Sse([System.Text.Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "a") + "\n\n")], HangAtEnd: true)
            : new FakeScript.Reply(200, Payloads.ChatCompletion("later"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.Concurrency.MaxConcurrentCalls = 1);

        var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
        var rejected = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);
        await session.DisposeAsync();
        var accepted = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal(GuardErrorCode.BackendOverloaded, rejected.Error!.Code);
        Assert.Equal("later", accepted.GetValueOrThrow().Choices[0].Message!.Content);
        await _server.Requests[0].Aborted.Task.WaitAsync(ServerObservesWithin);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_FailingBackend_BreakerOpensFailsFastThenProbesAfterBreak()
    {
        var healthy = false;
        _server.Script = _ => Volatile.Read(ref healthy) ? new FakeScript.Reply(200, Payloads.ChatCompletion("back")) : new FakeScript.Reply(500, "");
        var time = new FakeTimeProvider();
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o =>
        {
            o.Retry.MaxAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.FailureRatio = 0.5;
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
        }, time);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(GuardErrorCode.BackendUnavailable, (await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None)).Error!.Code);
        }

        var open = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);
        Assert.Equal(GuardErrorCode.BackendUnavailable, open.Error!.Code);
        Assert.Contains("circuit open", open.Error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.RequestCount);

        Volatile.Write(ref healthy, true);
        time.Advance(TimeSpan.FromSeconds(5));
        var probe = await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None);

        Assert.Equal("back", probe.GetValueOrThrow().Choices[0].Message!.Content);
        Assert.Equal(5, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_ClientErrorsOnly_BreakerStaysClosed()
    {
        _server.Script = _ => new FakeScript.Reply(400, "");
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.CircuitBreaker.MinimumThroughput = 2);

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(GuardErrorCode.BackendRejected, (await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None)).Error!.Code);
        }

        Assert.Equal(6, _server.RequestCount);
    }
}
