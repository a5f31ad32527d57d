using System.Text;

namespace GuardGateway.Core.Streaming;

/// <summary>
/// How much of a buffer the guard can judge now: everything but a trailing high surrogate whose low half
/// has not arrived yet (upstream deltas may split a pair). Judging half a pair would be judging invalid
/// UTF-16, which the pipeline refuses; the half is judged with its other half at the next check.
/// </summary>
internal static class CompleteText
{
    public static int Length(StringBuilder text) =>
        text.Length > 0 && char.IsHighSurrogate(text[^1]) ? text.Length - 1 : text.Length;

    public static StringBuilder AppendComplete(this StringBuilder target, StringBuilder source) =>
        target.Append(source, 0, Length(source));
}
