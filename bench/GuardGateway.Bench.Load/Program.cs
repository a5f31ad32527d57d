using System.CommandLine;
using GuardGateway.Bench.Load.Commands;

// RELIABILITY.md T9a/T9b/T20/T21 against the real gateway in process on loopback (bench/README.md). Not a test.
var root = new RootCommand("GuardGateway load bench: capacity (T9a), overload (T9b), timing (T20), soak (T21)")
{
    CapacityCommand.Create(),
    OverloadCommand.Create(),
    TimingCommand.Create(),
    SoakCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
