using System.Text;
using GuardGateway.Core.Backends;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// One choice of a streamed answer. Invariant: released ≤ verified ≤ received, per field (content, each tool
/// call's name and arguments); verified only grows, and only after a passing check of the whole text so far.
/// </summary>
internal sealed class ChoiceBuffer(int index)
{
    private readonly SortedDictionary<int, ToolCallBuffer> _toolCalls = [];

    public int Index { get; } = index;

    public StringBuilder Content { get; } = new();

    public IEnumerable<ToolCallBuffer> ToolCalls => _toolCalls.Values;

    public int VerifiedContent { get; private set; }

    public int ReleasedContent { get; set; }

    /// <summary>Text-bearing deltas since the last check (≈ tokens).</summary>
    public int DeltasSinceCheck { get; set; }

    /// <summary>Whether the content reached a sentence end or line break since the last check.</summary>
    public bool SentenceEndPending { get; set; }

    /// <summary>The upstream finished this choice; later deltas for it are dropped (they were never judged).</summary>
    public bool Finished { get; private set; }

    public string? UpstreamFinishReason { get; private set; }

    /// <summary>A final check covered all of the choice's text: everything verified may be released.</summary>
    public bool FinalPassed { get; set; }

    public bool FinishReleased { get; set; }

    public bool RoleReleased { get; set; }

    public long Received => Content.Length + _toolCalls.Values.Sum(t => (long)t.Length);

    public long Verified => VerifiedContent + _toolCalls.Values.Sum(t => (long)t.VerifiedName + t.VerifiedArguments);

    public long Released => ReleasedContent + _toolCalls.Values.Sum(t => (long)t.ReleasedName + t.ReleasedArguments);

    public long Unverified => Received - Verified;

    /// <summary>Appends a choice delta; returns whether it carried text.</summary>
    public bool Append(ChatChunkChoice choice)
    {
        if (Finished)
        {
            return false;
        }

        var carried = AppendContent(choice.Delta?.Content) | AppendContent(choice.Text);
        foreach (var call in choice.Delta?.ToolCalls ?? [])
        {
            carried |= AppendToolCall(call);
        }

        if (carried)
        {
            DeltasSinceCheck++;
        }

        if (choice.FinishReason is not null)
        {
            Finished = true;
            UpstreamFinishReason = choice.FinishReason;
        }

        return carried;
    }

    /// <summary>
    /// Marks everything received as verified (after a passing check of exactly this text), except a trailing
    /// half surrogate pair, which the check did not see (<see cref="CompleteText"/>).
    /// </summary>
    public void CommitVerified()
    {
        VerifiedContent = CompleteText.Length(Content);
        foreach (var call in _toolCalls.Values)
        {
            call.VerifiedName = CompleteText.Length(call.Name);
            call.VerifiedArguments = CompleteText.Length(call.Arguments);
            call.Verified = true;
        }

        DeltasSinceCheck = 0;
        SentenceEndPending = false;
    }

    private bool AppendContent(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var from = Math.Max(0, Content.Length - 1);
        Content.Append(text);
        if (!SentenceEndPending && SentenceEnds.Any(Content, from))
        {
            SentenceEndPending = true;
        }

        return true;
    }

    private bool AppendToolCall(ChatToolCallDelta delta)
    {
        if (!_toolCalls.TryGetValue(delta.Index, out var call))
        {
            call = new ToolCallBuffer(delta.Index);
            _toolCalls.Add(delta.Index, call);
        }

        call.Id ??= delta.Id;
        call.Type ??= delta.Type;
        var carried = false;
        if (!string.IsNullOrEmpty(delta.FunctionName))
        {
            call.Name.Append(delta.FunctionName);
            carried = true;
        }

        if (!string.IsNullOrEmpty(delta.ArgumentsFragment))
        {
            call.Arguments.Append(delta.ArgumentsFragment);
            carried = true;
        }

        return carried;
    }
}
