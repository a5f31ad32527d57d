using System.Diagnostics;
using System.Globalization;
using GuardGateway.Bench;
using GuardGateway.ModelForge;

// GuardGateway engine benchmark (docs/benchmarks.md). Bounded: a fixed number of requests per mode and a time
// limit per mode. Usage: GuardGateway.Bench [--tokenizer FILE] [--requests N] [--concurrency C]
// [--threads T] [--max-seconds S] [--max-new-tokens K] [--layers L] [--hidden H]
var arguments = ParseArguments(args);
var culture = CultureInfo.InvariantCulture;
var root = FindRepositoryRoot();
var tokenizer = arguments.GetValueOrDefault("tokenizer") ?? Path.Combine(root, ".cache", "fixtures", "llama3-tokenizer", "tokenizer.json");
if (!File.Exists(tokenizer))
{
    Console.Error.WriteLine($"bench: tokenizer not found at {tokenizer}; run scripts/fetch-test-tokenizer.sh or pass --tokenizer");
    return 2;
}

var requests = int.Parse(arguments.GetValueOrDefault("requests") ?? "64", culture);
var concurrency = int.Parse(arguments.GetValueOrDefault("concurrency") ?? "16", culture);
var threads = int.Parse(arguments.GetValueOrDefault("threads") ?? "2", culture);
var limit = TimeSpan.FromSeconds(double.Parse(arguments.GetValueOrDefault("max-seconds") ?? "120", culture));
var maxNewTokens = int.Parse(arguments.GetValueOrDefault("max-new-tokens") ?? "5", culture);
var forge = new TinyLlamaOptions
{
    Layers = int.Parse(arguments.GetValueOrDefault("layers") ?? "4", culture),
    Hidden = int.Parse(arguments.GetValueOrDefault("hidden") ?? "256", culture),
    Heads = 8,
    KvHeads = 2,
    HeadDim = 32,
    Intermediate = 1024,
};

var forgeClock = Stopwatch.StartNew();
var model = ForgedModelCache.GetOrCreate(Path.Combine(root, ".cache", "fixtures"), forge, tokenizer);
Console.WriteLine(string.Create(culture, $"model: tiny-llama {forge.Layers} layers, hidden {forge.Hidden}, heads {forge.Heads}/{forge.KvHeads} kv, head_dim {forge.HeadDim}, intermediate {forge.Intermediate}, vocab {Forge.VocabularySize}, fp32 ({forgeClock.Elapsed.TotalSeconds:F1} s to forge or find)"));
Console.WriteLine(string.Create(culture, $"load: {concurrency} concurrent clients, {requests} requests per mode, {BenchConversations.All.Count} distinct guard prompts (8b format), answers capped at {maxNewTokens} tokens, {threads} intra-op threads, {Environment.ProcessorCount} cores"));

BenchMode[] modes =
[
    new("(i)   one at a time, full prefill, lm_head on every position", 1, false, false),
    new("(i')  one at a time, full prefill, lm_head on last position", 1, false, true),
    new("(ii)  batching (max 16, 5 ms window)", 16, false, true),
    new("(iii) batching + prefix KV cache", 16, true, true),
];
var results = new List<BenchResult>();
foreach (var mode in modes)
{
    var result = await BenchRunner.RunAsync(model.Directory, mode, concurrency, requests, limit, threads, maxNewTokens);
    results.Add(result);
    Console.Error.WriteLine(string.Create(culture, $"  done: {mode.Label} ({result.Seconds:F1} s)"));
}

Console.WriteLine();
Console.WriteLine("| mode | requests | req/s | p50 ms | p99 ms | prompt tok/req | prefill tok/req | mean prefill ms | mean batch |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine(string.Create(culture, $"| {r.Mode.Label} | {r.Requests}{(r.Failures > 0 ? $" ({r.Failures} failed)" : string.Empty)} | {r.RequestsPerSecond:F2} | {r.P50Ms:F0} | {r.P99Ms:F0} | {r.PromptTokensPerRequest:F1} | {r.PrefillTokensPerRequest:F1} | {r.MeanPrefillMs:F1} | {r.MeanBatch:F1} |"));
}

Console.WriteLine();
var full = results[0];
var last = results[1];
Console.WriteLine(string.Create(culture, $"speed-up (iii) vs (i): {results[3].RequestsPerSecond / full.RequestsPerSecond:F1}x; (iii) vs (i'): {results[3].RequestsPerSecond / last.RequestsPerSecond:F1}x; (ii) vs (i'): {results[2].RequestsPerSecond / last.RequestsPerSecond:F1}x"));
Console.WriteLine(string.Create(culture, $"lm_head over all positions: {(1 - (last.MeanPrefillMs / full.MeanPrefillMs)) * 100:F0}% of the one-at-a-time prefill time ({full.MeanPrefillMs:F1} ms -> {last.MeanPrefillMs:F1} ms when only the last position is projected)"));
var golden = await BenchRunner.GoldenPrefillAsync(model.Directory, threads);
Console.WriteLine(string.Create(culture, $"golden single_user ({BenchConversations.Golden.Length} chars): {golden.Prefill} prefill tokens of {golden.Prompt} with the prefix cache ({(1 - ((double)golden.Prefill / golden.Prompt)) * 100:F0}% fewer)"));
return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        map[args[i].TrimStart('-')] = args[i + 1];
    }

    return map;
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "GuardGateway.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
