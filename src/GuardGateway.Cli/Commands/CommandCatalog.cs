using System.CommandLine;

namespace GuardGateway.Cli.Commands;

/// <summary>Every guardctl subcommand; each lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return TokenizeCommand.Create();
        yield return RenderCommand.Create();
        yield return ModerateCommand.Create();
        yield return PolicyCommand.Create();
        yield return ClassifyCommand.Create();
        yield return ForgeCommand.Create();
        yield return PinCommand.Create();
    }
}
