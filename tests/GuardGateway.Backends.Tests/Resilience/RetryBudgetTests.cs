using GuardGateway.Backends.Configuration;
using GuardGateway.Backends.Resilience;
using GuardGateway.Backends.Tests.Fakes;
using GuardGateway.Core.Results;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace GuardGateway.Backends.Tests.Resilience;

/// <summary>RELIABILITY.md T11: retries are bounded per call, by a Linkerd-style budget, and never after the first byte or on a refusal.</summary>
public sealed class RetryBudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void TryRetry_RatioAndFloor_AllowsExactlyTheBudgetThenRefillsAfterTheWindow()
    {
        var time = new FakeTimeProvider();
        var budget = new RetryBudget(0.2, minRetriesPerSecond: 1, TimeSpan.FromSeconds(10), time);
        for (var i = 0; i < 100; i++)
        {
            budget.RecordCall();
        }

        var allowed = 0;
        while (allowed < 1000 && budget.TryRetry())
        {
            allowed++;
        }

        Assert.Equal(30, allowed); // 0.2 × 100 calls + 1/s × 10 s
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(budget.TryRetry()); // the old calls and retries left the window: the floor applies again
    }

    [Fact]
    public async Task CompleteAsync_Upstream503In30PercentOfCalls_AttemptsBoundedAndExtraLoadWithinBudget()
    {
        const int Calls = 500;
        const double FloorPerSecond = 1;
        var window = TimeSpan.FromSeconds(10);
        var random = new Random(1234);
        var gate = new Lock();
        _server.Script = _ =>
        {
            lock (gate)
            {
                return random.NextDouble() < 0.3 ? new FakeScript.Reply(503, "") : new FakeScript.Reply(200, Payloads.ChatCompletion("ok"));
            }
        };

        // A fake clock: the whole run falls in one budget window, so the bound is exact (ratio × calls + floor × window).
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o =>
        {
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.BudgetMinRetriesPerSecond = FloorPerSecond;
            o.Retry.BudgetWindow = window;
            o.CircuitBreaker.FailureRatio = 1.0; // the breaker is not under test here
        }, new FakeTimeProvider());

        var results = new Result<Core.Backends.ChatCompletion>[Calls];
        await Parallel.ForEachAsync(Enumerable.Range(0, Calls), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            results[i] = await harness.Backend.CompleteAsync(TestRequests.Chat(requestId: "call-" + i), ct));

        var perCall = _server.Requests.GroupBy(r => r.RequestId).Select(g => g.Count()).ToList();
        var upstream = _server.RequestCount;
        var bound = (1.2 * Calls) + (FloorPerSecond * window.TotalSeconds);
        output.WriteLine($"calls={Calls} upstream={upstream} bound={bound} maxAttemptsPerCall={perCall.Max()} failed={results.Count(r => !r.IsSuccess)}");

        Assert.Equal(Calls, perCall.Count);
        Assert.True(perCall.Max() <= 3, $"a call made {perCall.Max()} attempts");
        Assert.True(upstream <= bound, $"{upstream} upstream requests for {Calls} calls exceeds the budget {bound}");
        Assert.True(upstream > Calls, "some retries must have happened");
        // ~30 % of first attempts fail; unbudgeted retries would have needed ~190: the budget had to refuse some.
        Assert.Contains(results, r => !r.IsSuccess && r.Error.Code == GuardErrorCode.BackendUnavailable);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    public async Task CompleteAsync_ClientErrors_NeverRetried(int status)
    {
        _server.Script = _ => new FakeScript.Reply(status, Payloads.Error("bad", "invalid_request_error"));
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.Retry.BaseDelay = TimeSpan.Zero);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(GuardErrorCode.BackendRejected, (await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None)).Error!.Code);
        }

        Assert.Equal(20, _server.RequestCount);
    }

    [Fact]
    public async Task CompleteAsync_FailureAfterFirstByte_NeverRetried()
    {
        _server.Script = _ => new FakeScript.AbortMidBody("{\"id\":\"x\",\"choi", DeclaredLength: 500);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.Retry.BaseDelay = TimeSpan.Zero);

        for (var i = 0; i < 10; i++)
        {
            Assert.False((await harness.Backend.CompleteAsync(TestRequests.Chat(), CancellationToken.None)).IsSuccess);
        }

        Assert.Equal(10, _server.RequestCount);
    }

    [Fact]
    public async Task StreamAsync_FailureAfterFirstEvent_NeverRetried()
    {
        _server.Script = _ => new FakeScript.Sse([System.Text.Encoding.UTF8.GetBytes("data: " + Payloads.ChatChunk(0, "first") + "\n\n")], AbortAtEnd: true);
        await using var harness = BackendHarness.Create(_server.Url, BackendKind.OpenAi, o => o.Retry.BaseDelay = TimeSpan.Zero);

        for (var i = 0; i < 5; i++)
        {
            await using var session = (await harness.Backend.StreamAsync(TestRequests.Chat(), CancellationToken.None)).GetValueOrThrow();
            var events = await TestRequests.DrainAsync(session);
            Assert.IsType<Core.Backends.ChatStreamFailed>(events[^1]);
        }

        Assert.Equal(5, _server.RequestCount);
    }
}
