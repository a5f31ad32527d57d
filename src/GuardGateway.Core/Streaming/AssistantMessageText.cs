using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// The assistant message as the guard judges it: the content, then each tool call (in index order) on its own
/// line as <c>[tool call NAME] ARGUMENTS</c>, so text hidden in arguments is judged as part of the answer.
/// A trailing half surrogate pair is left for the next check (<see cref="CompleteText"/>).
/// </summary>
internal static class AssistantMessageText
{
    public static string Render(string prefix, ChoiceBuffer choice)
    {
        var text = new StringBuilder(prefix.Length + (int)Math.Min(int.MaxValue / 2, choice.Received + 32));
        text.Append(prefix).AppendComplete(choice.Content);
        foreach (var call in choice.ToolCalls)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append("[tool call ").AppendComplete(call.Name).Append("] ").AppendComplete(call.Arguments);
        }

        return text.ToString();
    }
}
