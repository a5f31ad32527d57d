using System.Globalization;
using GuardGateway.Fuzzing.Targets;
using GuardGateway.Fuzzing.Targets.Running;
using SharpFuzz;

namespace GuardGateway.Fuzzing;

/// <summary>
/// The T16 harness (fuzz/README.md). Modes:
/// <c>--target NAME</c> runs under libFuzzer (started by libfuzzer-dotnet over instrumented assemblies);
/// <c>--replay DIR --target NAME</c> runs every file of DIR once;
/// <c>--random N --seconds S --seed X [--target NAME] [--corpus ROOT] [--findings DIR]</c> runs the built-in
/// mutation loop (all targets when none is named). Exit 0: no findings; 1: findings; 2: bad arguments.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: guardgateway-fuzz --target NAME | --target=NAME   (under libFuzzer)\n" +
        "       guardgateway-fuzz --target NAME --replay DIR\n" +
        "       guardgateway-fuzz [--target NAME] --random N [--seconds S] [--seed X] [--corpus ROOT] [--findings DIR]\n" +
        "       guardgateway-fuzz --list";

    public static int Main(string[] args)
    {
        var options = ParseArguments(args);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (options.ContainsKey("--list"))
        {
            foreach (var t in FuzzTargetCatalog.All)
            {
                Console.WriteLine(t.Name);
            }

            return 0;
        }

        IFuzzTarget? target = null;
        if (options.TryGetValue("--target", out var name) && (target = FuzzTargetCatalog.Find(name)) is null)
        {
            Console.Error.WriteLine($"unknown target '{name}'; known: {string.Join(", ", FuzzTargetCatalog.All.Select(t => t.Name))}");
            return 2;
        }

        if (options.TryGetValue("--replay", out var replayDirectory))
        {
            return target is null ? Fail("--replay needs --target") : Report(Replay(target, replayDirectory), options);
        }

        if (options.TryGetValue("--random", out var count))
        {
            return RandomRuns(target, count, options);
        }

        if (target is null)
        {
            return Fail("name a --target");
        }

        // libFuzzer drives the loop: every input goes through the same target code as the tests.
        Fuzzer.LibFuzzer.Run(span => target.Execute(span));
        return 0;
    }

    private static FuzzRunReport Replay(IFuzzTarget target, string directory) =>
        FuzzRunner.Replay(target, FuzzCorpus.Load(directory).Select(f => f.Bytes), new FuzzRunOptions(), CancellationToken.None);

    private static int RandomRuns(IFuzzTarget? target, string count, Dictionary<string, string> options)
    {
        if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var executions)
            || !double.TryParse(options.GetValueOrDefault("--seconds", "15"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !int.TryParse(options.GetValueOrDefault("--seed", "1"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            return Fail("--random, --seconds and --seed take numbers");
        }

        var corpusRoot = options.GetValueOrDefault("--corpus") ?? FindCorpusRoot();
        var status = 0;
        foreach (var t in target is null ? FuzzTargetCatalog.All : [target])
        {
            var corpus = FuzzCorpus.Load(Path.Combine(corpusRoot, t.Name)).Select(f => f.Bytes).ToList();
            var run = FuzzRunner.Mutate(t, corpus, new FuzzRunOptions { MaxExecutions = executions, MaxDuration = TimeSpan.FromSeconds(seconds), Seed = seed }, CancellationToken.None);
            status |= Report(run, options);
        }

        return status;
    }

    private static int Report(FuzzRunReport run, Dictionary<string, string> options)
    {
        Console.WriteLine(run);
        foreach (var finding in run.Findings)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(finding.Input))[..16];
            Console.WriteLine($"  {finding.Kind} {hash}: {finding.Description}");
            if (options.TryGetValue("--findings", out var directory))
            {
                var file = Path.Combine(directory, run.Target, $"{finding.Kind}-{hash}");
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllBytes(file, finding.Input);
                Console.WriteLine($"  saved {file}");
            }
        }

        return run.Findings.Count == 0 ? 0 : 1;
    }

    /// <summary>fuzz/corpus of the checkout this binary was built in (or below the working directory).</summary>
    private static string FindCorpusRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fuzz", "corpus");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "fuzz", "corpus");
    }

    private static Dictionary<string, string>? ParseArguments(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                // libFuzzer passes its own flags (-max_len=…, corpus directories) through to the target process.
                continue;
            }

            if (args[i].IndexOf('=', StringComparison.Ordinal) is var equals and > 2)
            {
                // --name=value: one argument, as libfuzzer-dotnet's --target_arg passes it.
                options[args[i][..equals]] = args[i][(equals + 1)..];
                continue;
            }

            if (args[i] == "--list")
            {
                options["--list"] = string.Empty;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                return null;
            }

            options[args[i]] = args[++i];
        }

        return options;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
