using System.CommandLine;
using GuardGateway.Cli.Commands;

var root = new RootCommand("guardctl: tools for GuardGateway (tokenize, render, classify, forge, moderate, policy)");
foreach (var command in CommandCatalog.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
