using System.Diagnostics;
using System.Globalization;
using GuardGateway.Bench.Gateway;
using GuardGateway.Bench.Hosting;

// Added time to first token of verify-then-release streaming (docs/benchmarks.md). Loopback only, bounded: a fixed
// number of streams and a time limit per run. Usage: GuardGateway.Bench.Gateway [--tokens 150] [--token-ms 20]
// [--sequential 5] [--streams 8] [--concurrency 4] [--interval-tokens 4] [--max-seconds 15]
var arguments = ParseArguments(args);
var culture = CultureInfo.InvariantCulture;
var root = BenchMachine.RepositoryRoot();
var tokenCount = int.Parse(arguments.GetValueOrDefault("tokens") ?? "150", culture);
var pace = TimeSpan.FromMilliseconds(double.Parse(arguments.GetValueOrDefault("token-ms") ?? "20", culture));
var sequential = int.Parse(arguments.GetValueOrDefault("sequential") ?? "5", culture);
var streams = int.Parse(arguments.GetValueOrDefault("streams") ?? "8", culture);
var concurrency = int.Parse(arguments.GetValueOrDefault("concurrency") ?? "4", culture);
var intervalTokens = int.Parse(arguments.GetValueOrDefault("interval-tokens") ?? "4", culture);
var limit = TimeSpan.FromSeconds(double.Parse(arguments.GetValueOrDefault("max-seconds") ?? "15", culture));
// Generous: with frequent checks on a loaded machine a stream through the gateway takes several times the ideal.
var streamTimeout = pace * tokenCount * 10 + TimeSpan.FromSeconds(30);
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = stop.Token;

var tokens = AnswerTokens.Take(tokenCount);
var answer = string.Concat(tokens);
var wall = Stopwatch.StartNew();
await using var upstream = await PacedUpstream.StartAsync(tokens, pace, ct);
using var probe = new ProxyMeterProbe();
Console.WriteLine(string.Create(culture, $"upstream: fake OpenAI-compatible server on loopback, {tokenCount} tokens ({answer.Length} chars) as SSE deltas, one every {pace.TotalMilliseconds:F0} ms (ideal stream {pace.TotalMilliseconds * tokenCount / 1000:F1} s)"));
Console.WriteLine("gateway: in process on loopback Kestrel, planted demo guard (embedded default, forged into .cache/fixtures), shipped policies (default), input and output moderated");
Console.WriteLine(string.Create(culture, $"load: sequential {sequential} streams; concurrent {streams} streams, {concurrency} clients; at most {limit.TotalSeconds:F0} s per run; {Environment.ProcessorCount} cores{BenchMachine.LoadAverage()}"));

var results = new List<PhaseResult>();
using var directHttp = BenchMachine.NewClient(upstream.Url);
var direct = new PhaseRunner(new StreamClient(directHttp, null, answer), null, limit, streamTimeout);
if (!await direct.WarmUpAsync(1, TimeSpan.FromSeconds(20), ct))
{
    Console.Error.WriteLine("bench: the fake upstream did not answer");
    return 3;
}

const string Direct = "(a) direct to upstream";
await RunTargetAsync(direct, Direct);

var gatewayTargets = new (string Label, Dictionary<string, string?> Streaming)[]
{
    ("(b) gateway, default checks (200 chars, sentence ends)", []),
    (string.Create(culture, $"(c) gateway, + every {intervalTokens} tokens"), new() { ["CheckIntervalTokens"] = intervalTokens.ToString(culture) }),
};
foreach (var (label, streaming) in gatewayTargets)
{
    var loadClock = Stopwatch.StartNew();
    await using var gateway = await InProcessGateway.StartAsync(root, upstream.Url, streaming.ToDictionary(kv => "Proxy:Streaming:" + kv.Key, kv => kv.Value), ct);
    using var http = BenchMachine.NewClient(gateway.Url);
    var runner = new PhaseRunner(new StreamClient(http, InProcessGateway.ClientKey, answer), probe, limit, streamTimeout);
    if (!await runner.WarmUpAsync(2, TimeSpan.FromSeconds(120), ct))
    {
        Console.Error.WriteLine($"bench: the gateway never completed a stream ({label})");
        return 3;
    }

    Console.Error.WriteLine(string.Create(culture, $"  ready: {label} (guard loaded and 2 warm-up streams in {loadClock.Elapsed.TotalSeconds:F1} s)"));
    await RunTargetAsync(runner, label);
}

Console.WriteLine();
Console.WriteLine("| target | load | streams | TTFT p50 ms | TTFT p99 ms | added TTFT p50 / p99 ms | TTFT ratio p50 | total p50 ms | total p99 ms | total ratio p50 | checks/stream | first-release delay p50 / p99 ms (metric) |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    var baseline = results.First(b => b.Target == Direct && b.Load == r.Load);
    var isDirect = r.Target == Direct;
    var added = isDirect ? "–" : string.Create(culture, $"{r.TtftP50 - baseline.TtftP50:F0} / {r.TtftP99 - baseline.TtftP99:F0}");
    var ttftRatio = isDirect ? "1" : string.Create(culture, $"{r.TtftP50 / baseline.TtftP50:F1}x");
    var totalRatio = isDirect ? "1" : string.Create(culture, $"{r.TotalP50 / baseline.TotalP50:F3}x");
    var checks = r.ChecksPerStream is { } c ? c.ToString("F1", culture) : "–";
    var delay = r.FirstReleaseDelaysMs.Count == 0 ? "–" : string.Create(culture, $"{Percentile.Of(r.FirstReleaseDelaysMs, 50):F0} / {Percentile.Of(r.FirstReleaseDelaysMs, 99):F0}");
    var failed = r.Failures > 0 ? $" ({r.Failures} failed)" : string.Empty;
    Console.WriteLine(string.Create(culture, $"| {r.Target} | {r.Load} | {r.Good.Count}{failed} | {r.TtftP50:F0} | {r.TtftP99:F0} | {added} | {ttftRatio} | {r.TotalP50:F0} | {r.TotalP99:F0} | {totalRatio} | {checks} | {delay} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(culture, $"wall time {wall.Elapsed.TotalSeconds:F0} s"));
foreach (var failure in results.SelectMany(r => r.Samples.Where(s => !s.Complete).Select(s => $"{r.Target} / {r.Load}: {s.Failure}")).Distinct())
{
    Console.WriteLine("failed: " + failure);
}

return results.Any(r => r.Good.Count == 0) ? 1 : 0;

async Task RunTargetAsync(PhaseRunner runner, string label)
{
    var one = await runner.RunAsync(label, "sequential", sequential, 1, ct);
    var many = await runner.RunAsync(label, string.Create(culture, $"{concurrency} concurrent"), streams, concurrency, ct);
    results.Add(one);
    results.Add(many);
    Console.Error.WriteLine(string.Create(culture, $"  done: {label}"));
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        map[args[i].TrimStart('-')] = args[i + 1];
    }

    return map;
}
