using GuardGateway.Bench.Abuse;

// RELIABILITY.md T13 and T14 against the gateway as a separate process (bench/README.md). Loopback only, bounded.
// Usage: GuardGateway.Bench.Abuse drain [--rate 200] [--streams 20] [--grace 10] [--before 5] [--after 5]
//        GuardGateway.Bench.Abuse h2 [--legit-rate 20] [--baseline 10] [--attack 5] [--recovery 10]
if (args.Length == 0 || args[0] is not ("drain" or "h2"))
{
    Console.Error.WriteLine("usage: GuardGateway.Bench.Abuse drain|h2 [--name value ...]");
    return 2;
}

using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var root = FindRepositoryRoot();
var arguments = new BenchArguments(args[1..]);
return args[0] == "drain"
    ? await new DrainBench(root, arguments).RunAsync(stop.Token)
    : await new H2AbuseBench(root, arguments).RunAsync(stop.Token);

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
