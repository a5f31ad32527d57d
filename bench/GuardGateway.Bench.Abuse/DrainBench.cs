using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GuardGateway.Backends.Fakes;
using GuardGateway.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace GuardGateway.Bench.Abuse;

/// <summary>
/// RELIABILITY.md T13: unary Chat.Complete calls at a fixed rate and long Chat.CompleteStream streams through the
/// gateway process, SIGTERM in the middle, then: failures among unary calls started before the signal, the status of
/// calls started after it, how the streams ended, and when the process exited.
/// </summary>
internal sealed class DrainBench(string root, BenchArguments arguments)
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var rate = arguments.Int("rate", 200);
        var streamCount = arguments.Int("streams", 20);
        var grace = arguments.Double("grace", 10);
        var before = arguments.Double("before", 5);
        var after = arguments.Double("after", 5);

        await using var upstream = await FakeOpenAiServer.StartAsync();
        // Unary: a short benign answer. Streams: one sentence, then a word every 200 ms for about 90 s (past any grace).
        var longStream = LongStream(450, TimeSpan.FromMilliseconds(200));
        upstream.Script = request => request.Json().RootElement.TryGetProperty("stream", out var s) && s.GetBoolean()
            ? longStream
            : new FakeScript.Reply(200, Payloads.ChatCompletion("Paris is the capital of France."));

        var logPath = Path.Combine(Path.GetTempPath(), "guardgateway-drain.log");
        using var gateway = GatewayProcess.Start(root, upstream.Url, new Dictionary<string, string>
        {
            ["Shutdown__GraceSeconds"] = grace.ToString(Culture),
            ["Limits__MaxConcurrentRequests"] = "1024",
        }, logPath);
        Console.WriteLine(string.Create(Culture, $"gateway: pid {gateway.Pid}, {gateway.GrpcUrl}, Shutdown:GraceSeconds={grace}, log {logPath}"));
        if (!await gateway.WaitReadyAsync(TimeSpan.FromSeconds(180), ct))
        {
            Console.Error.WriteLine("drain: the gateway never served a verdict");
            return 3;
        }

        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        using var unaryChannel = GrpcChannel.ForAddress(gateway.GrpcUrl, new GrpcChannelOptions { HttpHandler = handler });
        using var streamChannel = GrpcChannel.ForAddress(gateway.GrpcUrl);
        var chat = new Chat.ChatClient(unaryChannel);
        // --unary health: grpc.health.v1.Health/Check instead of Chat.Complete, for the plan's rate where the classifier
        // cannot keep up (the drain mechanics without the guard's capacity in the way).
        var health = arguments.Text("unary", "chat") == "health" ? unaryChannel.CreateCallInvoker() : null;
        var streamChat = new Chat.ChatClient(streamChannel);
        var clock = Stopwatch.StartNew();
        var warm = new ConcurrentBag<CallRecord>();
        for (var i = 0; i < 20; i++)
        {
            await RunUnaryAsync(chat, health, clock, warm, ct);
        }

        Console.WriteLine(string.Create(Culture, $"warm-up: 20 sequential unary calls, p50 {LegitClient.LatencyPercentile([.. warm], 50):F0} ms, max {warm.Max(c => c.LatencyMs):F0} ms, failed {warm.Count(c => c.Status != StatusCode.OK)}"));

        Console.WriteLine(string.Create(Culture, $"load: {rate} unary {(health is null ? "Chat.Complete" : "Health.Check")}/s open loop for {before} s before and {after} s after SIGTERM, {streamCount} Chat.CompleteStream streams (~90 s each); {Environment.ProcessorCount} cores, load average {ProcessProbe.LoadAverage()}"));

        // Streams first: each must have delivered its first verified chunk before the signal.
        var streams = new List<Task<StreamRecord>>();
        var firstChunks = new List<Task>();
        for (var i = 0; i < streamCount; i++)
        {
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            firstChunks.Add(first.Task);
            streams.Add(RunStreamAsync(streamChat, clock, first, ct));
        }

        await Task.WhenAll(firstChunks).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var unary = new ConcurrentBag<CallRecord>();
        var unaryTasks = new List<Task>();
        var loadStart = clock.Elapsed;
        var total = (int)((before + after) * rate);
        var signalAt = loadStart + TimeSpan.FromSeconds(before);
        var signal = Task.Run(async () =>
        {
            await Task.Delay(signalAt - clock.Elapsed, ct);
            gateway.Terminate();
            return clock.Elapsed.TotalSeconds;
        }, ct);
        for (var i = 0; i < total; i++)
        {
            var due = loadStart + TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }

            unaryTasks.Add(RunUnaryAsync(chat, health, clock, unary, ct));
        }

        var signalTime = await signal;
        var exited = Stopwatch.StartNew();
        using (var exitLimit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            exitLimit.CancelAfter(TimeSpan.FromSeconds(grace + 30));
            await gateway.WaitForExitAsync(exitLimit.Token);
        }

        var exitTime = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(unaryTasks).WaitAsync(TimeSpan.FromSeconds(60), ct);
        var ended = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60), ct);
        return Report(unary.ToList(), ended, signalTime, exitTime, grace, gateway.ExitCode);
    }

    private static int Report(List<CallRecord> unary, StreamRecord[] streams, double signal, double exit, double grace, int exitCode)
    {
        var beforeCalls = unary.Where(c => c.Start < signal).ToList();
        var afterCalls = unary.Where(c => c.Start >= signal).ToList();
        var beforeFailed = beforeCalls.Where(c => c.Status != StatusCode.OK).ToList();
        // Accepted after the signal (the listener was still open): answered, OK or a (fail-closed) content_filter.
        var afterOk = afterCalls.Where(c => c.Status is StatusCode.OK or StatusCode.Aborted).ToList();
        var afterOther = afterCalls.Where(c => c.Status is not (StatusCode.OK or StatusCode.Aborted or StatusCode.Unavailable)).ToList();
        // A clean success is an OK status with finish_reason=stop; OK with content_filter is a (fail-closed) block.
        var cleanStreams = streams.Count(s => s.SawStop || (s.Status == StatusCode.OK && !s.SawFilter));
        var endedBefore = streams.Count(s => s.End < signal);
        var exitAfter = exit - signal;

        Console.WriteLine();
        Console.WriteLine("| measure | value | criterion | pass |");
        Console.WriteLine("|---|---|---|---|");
        Row("unary calls started before SIGTERM", string.Create(Culture, $"{beforeCalls.Count}, failed {beforeFailed.Count}{Statuses(beforeFailed)}"), "0 failures", beforeFailed.Count == 0);
        Row("unary calls started after SIGTERM", string.Create(Culture, $"{afterCalls.Count}: answered {afterOk.Count} (last started +{(afterOk.Count == 0 ? 0 : (afterOk.Max(c => c.Start) - signal) * 1000):F0} ms after the signal){Statuses(afterCalls.Where(c => c.Status != StatusCode.OK))}"), "refused ones UNAVAILABLE (answered only until the listener closed)", afterOther.Count == 0);
        Row("streams open at SIGTERM", string.Create(Culture, $"{streams.Length}: {Statuses(streams.Select(s => new CallRecord(0, s.End, s.Status, s.Detail))).TrimStart(',', ' ')}; ended +{(streams.Length == 0 ? 0 : streams.Min(s => s.End) - signal):F1}..+{(streams.Length == 0 ? 0 : streams.Max(s => s.End) - signal):F1} s; ended before the signal {endedBefore}; clean finishes {cleanStreams}"), "non-OK, never finish_reason=stop", cleanStreams == 0);
        Row("process exit after SIGTERM", string.Create(Culture, $"{exitAfter:F2} s (exit code {exitCode})"), string.Create(Culture, $"<= grace + 2 s = {grace + 2:F0} s"), exitAfter <= grace + 2);
        var late = beforeFailed.Where(c => c.Status != StatusCode.Aborted).ToList();
        Console.WriteLine(string.Create(Culture, $"before-signal failures: fail-closed blocks (no verdict: classifier over capacity) {beforeFailed.Count(c => c.Status == StatusCode.Aborted)}; transport/status errors {late.Count}, of which still in flight at the end of the grace {late.Count(c => c.End - signal >= grace - 0.5)}"));
        foreach (var detail in unary.Concat(streams.Select(s => new CallRecord(0, s.End, s.Status, s.Detail))).Where(c => c.Status != StatusCode.OK).Select(c => $"{c.Status}: {c.Detail}").Distinct().Take(8))
        {
            Console.WriteLine("error seen: " + detail);
        }

        Console.WriteLine(string.Create(Culture, $"streams: chunks received {(streams.Length == 0 ? 0 : streams.Min(s => s.Chunks))}..{(streams.Length == 0 ? 0 : streams.Max(s => s.Chunks))}; unary latency before the signal p50 {LegitClient.LatencyPercentile(beforeCalls, 50):F0} ms, p99 {LegitClient.LatencyPercentile(beforeCalls, 99):F0} ms"));
        Console.WriteLine(string.Create(Culture, $"load average after: {ProcessProbe.LoadAverage()}"));
        return beforeFailed.Count == 0 && afterOther.Count == 0 && cleanStreams == 0 && exitAfter <= grace + 2 ? 0 : 1;
    }

    private static string Statuses(IEnumerable<CallRecord> calls) =>
        string.Concat(calls.GroupBy(c => c.Status).OrderBy(g => g.Key).Select(g => string.Create(Culture, $", {g.Key} {g.Count()}")));

    private static void Row(string measure, string value, string criterion, bool pass) =>
        Console.WriteLine($"| {measure} | {value} | {criterion} | {(pass ? "yes" : "**no**")} |");

    private static readonly Method<byte[], byte[]> HealthCheck = new(
        MethodType.Unary, "grpc.health.v1.Health", "Check", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private static async Task RunUnaryAsync(Chat.ChatClient chat, CallInvoker? health, Stopwatch clock, ConcurrentBag<CallRecord> records, CancellationToken ct)
    {
        var start = clock.Elapsed.TotalSeconds;
        try
        {
            if (health is not null)
            {
                // An empty HealthCheckRequest (service "") is zero bytes.
                await health.AsyncUnaryCall(HealthCheck, null, Calls.Options(TimeSpan.FromSeconds(30), ct), []);
                records.Add(new CallRecord(start, clock.Elapsed.TotalSeconds, StatusCode.OK, ""));
                return;
            }

            var reply = await chat.CompleteAsync(Calls.Chat("What is the capital of France?"), Calls.Options(TimeSpan.FromSeconds(30), ct));
            // A refusal (content_filter) of a benign call is a failure: under overload it is the fail-closed no-verdict block.
            var refused = reply.Choices.Any(c => c.FinishReason != "stop");
            var why = refused ? $"answered {string.Join(',', reply.Choices.Select(c => c.FinishReason))}, no_verdict {reply.Moderation?.NoVerdict}" : "";
            records.Add(new CallRecord(start, clock.Elapsed.TotalSeconds, refused ? StatusCode.Aborted : StatusCode.OK, why));
        }
        catch (RpcException e)
        {
            records.Add(new CallRecord(start, clock.Elapsed.TotalSeconds, e.StatusCode, Short(e)));
        }
    }

    private static async Task<StreamRecord> RunStreamAsync(Chat.ChatClient chat, Stopwatch clock, TaskCompletionSource first, CancellationToken ct)
    {
        var sawStop = false;
        var sawFilter = false;
        var chunks = 0;
        try
        {
            using var call = chat.CompleteStream(Calls.Chat("Tell me a long story."), Calls.Options(TimeSpan.FromMinutes(3), ct));
            while (await call.ResponseStream.MoveNext(ct))
            {
                chunks++;
                sawStop |= call.ResponseStream.Current.Choices.Any(c => c.FinishReason == "stop");
                sawFilter |= call.ResponseStream.Current.Choices.Any(c => c.FinishReason == "content_filter");
                if (call.ResponseStream.Current.Choices.Any(c => c.Content.Length > 0))
                {
                    first.TrySetResult();
                }
            }

            first.TrySetResult();
            return new StreamRecord(clock.Elapsed.TotalSeconds, call.GetStatus().StatusCode, sawFilter ? "ended OK with content_filter (blocked)" : "ended OK", sawStop, sawFilter, chunks);
        }
        catch (RpcException e)
        {
            first.TrySetResult();
            return new StreamRecord(clock.Elapsed.TotalSeconds, e.StatusCode, Short(e), sawStop, sawFilter, chunks);
        }
    }

    private static string Short(RpcException e)
    {
        var detail = e.Status.Detail.Length > 90 ? e.Status.Detail[..90] : e.Status.Detail;
        return detail + (e.Trailers.Get("grpc-status-details-bin") is null ? "" : " (+ status details)");
    }

    private static FakeScript.Sse LongStream(int words, TimeSpan pace)
    {
        var pieces = new List<string> { "The first sentence of a long story is here. " };
        pieces.AddRange(Enumerable.Repeat("and ", words));
        return FakeScript.SseEvents(Payloads.ChatStream([.. pieces]), pace);
    }

    private sealed record StreamRecord(double End, StatusCode Status, string Detail, bool SawStop, bool SawFilter, int Chunks);
}
