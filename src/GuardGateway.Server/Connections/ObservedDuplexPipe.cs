using System.IO.Pipelines;

namespace GuardGateway.Server.Connections;

/// <summary>A connection's transport with its input observed (<see cref="ObservingPipeReader"/>) and its output as it was.</summary>
internal sealed class ObservedDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
