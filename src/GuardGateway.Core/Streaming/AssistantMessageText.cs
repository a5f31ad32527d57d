using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// The assistant message as the guard judges it: the content, then each tool call (in index order) on its own
/// line as <c>[tool call NAME] ARGUMENTS</c>, so text hidden in arguments is judged as part of the answer.
/// </summary>
internal static class AssistantMessageText
{
    public static string Render(string prefix, ChoiceBuffer choice)
    {
        var text = new StringBuilder(prefix.Length + (int)Math.Min(int.MaxValue / 2, choice.Received + 32));
        text.Append(prefix).Append(choice.Content);
        foreach (var call in choice.ToolCalls)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append("[tool call ").Append(call.Name).Append("] ").Append(call.Arguments);
        }

        return text.ToString();
    }
}
