using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>One streamed tool call of a choice: what arrived, what a check covered, what was released.</summary>
internal sealed class ToolCallBuffer(int index)
{
    public int Index { get; } = index;

    public string? Id { get; set; }

    public string? Type { get; set; }

    public StringBuilder Name { get; } = new();

    public StringBuilder Arguments { get; } = new();

    public int VerifiedName { get; set; }

    public int VerifiedArguments { get; set; }

    public int ReleasedName { get; set; }

    public int ReleasedArguments { get; set; }

    /// <summary>Whether a passing check has seen this call (its id and type may then be released).</summary>
    public bool Verified { get; set; }

    public bool HeaderReleased { get; set; }

    public int Length => Name.Length + Arguments.Length;
}
